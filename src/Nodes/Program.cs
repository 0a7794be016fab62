using Alrs.Nodes.Cli;

return await CommandRouter.RunAsync(args);
