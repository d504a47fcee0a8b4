namespace Orchestrator.Scheduler;
