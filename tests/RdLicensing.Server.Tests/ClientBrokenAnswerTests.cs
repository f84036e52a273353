using System.Net;
using System.Net.Sockets;
using System.Text;
using RdLicensing.Client;

namespace RdLicensing.Server.Tests;

/// <summary>
/// A license server that dies while sending its answer (SIGKILL mid-response, as in the cluster storms) ends the body
/// early. The client must call that "unreachable", which is what makes requesters and session hosts fail over.
/// </summary>
public sealed class ClientBrokenAnswerTests
{
    [Fact]
    public async Task An_answer_cut_off_mid_body_is_a_server_unreachable()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = Task.Run(
            async () =>
            {
                using TcpClient accepted = await listener.AcceptTcpClientAsync(ct);
                NetworkStream stream = accepted.GetStream();
                byte[] buffer = new byte[8192];
                _ = await stream.ReadAsync(buffer, ct);

                // Headers and the start of a chunked JSON body, then the connection closes.
                byte[] partial = Encoding.ASCII.GetBytes(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"status\":\"ok\",\"serverId\":\"");
                await stream.WriteAsync(partial, ct);
                await stream.FlushAsync(ct);
                accepted.Client.Shutdown(SocketShutdown.Both);
            },
            ct);

        using var client = new LicensingClient(new Uri($"http://127.0.0.1:{port}/"), "rdl_test");
        LicensingServerUnreachableException error = await Assert.ThrowsAsync<LicensingServerUnreachableException>(
            () => client.GetHealthAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct));
        Assert.Contains("broke while reading the answer", error.Message, StringComparison.Ordinal);
        await server.WaitAsync(TimeSpan.FromSeconds(30), ct);
    }
}
