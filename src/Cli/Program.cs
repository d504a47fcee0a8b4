using Orchestrator.Orc;

return await Cli.RunAsync(args, Console.Out, Console.Error);
