using RdLicensing.Cli.Tests.Support;

namespace RdLicensing.Cluster.Tests.Support;

/// <summary>
/// A license-server node: a real <c>rdlic serve --store postgres</c> child process (the CLI tests' <see cref="ServerProcess"/>)
/// on a free 127.0.0.1 port with its own data directory. <see cref="ServerProcess.KillAsync"/> is SIGKILL (a crash: no
/// shutdown, no flush); disposing kills it too. Only the first node of a deployment writes an admin.token, so a node
/// is up when /health answers.
/// </summary>
internal static class ClusterNode
{
    public static Task<ServerProcess> StartAsync(string connectionString) =>
        ServerProcess.StartAsync(null, ["--store", "postgres", "--connection", connectionString], waitForAdminToken: false);
}
