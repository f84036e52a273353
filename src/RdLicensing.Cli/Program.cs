using RdLicensing.Cli;

return await CliApp.RunAsync(args, CliConsole.System(), Environment.GetEnvironmentVariable).ConfigureAwait(false);
