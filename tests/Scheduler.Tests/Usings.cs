global using Xunit;
global using Orchestrator.Contracts;
global using Orchestrator.Scheduler;
global using static Orchestrator.Scheduler.Tests.Build;
