namespace RdLicensing.Cli.Commands;

/// <summary>The verb groups of <c>rdlic</c>, in the order help lists them. Adding a group is one line here.</summary>
internal static class CommandGroups
{
    public static IReadOnlyList<ICommandGroup> All { get; } =
    [
        new ServeCommand(),
        new ServerCommands(),
        new KeyPackCommands(),
        new LicenseCommands(),
        new HostCommands(),
        new KeyCommands(),
        new EventCommands(),
        new RegistryCommands(),
        new DiagnoseCommand(),
        new ReportCommands(),
        new AnalyzeCommands(),
        new ClientStoreCommands(),
        new StoreCommands(),
        new CalCommands(),
    ];
}
