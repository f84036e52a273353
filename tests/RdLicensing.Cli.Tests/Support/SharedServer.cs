namespace RdLicensing.Cli.Tests.Support;

/// <summary>One <c>rdlic serve</c> for a test class whose tests each create what they need (distinct names and devices).</summary>
public sealed class SharedServer : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("the server is not started");

    public async ValueTask InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
