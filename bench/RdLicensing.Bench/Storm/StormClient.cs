using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using RdLicensing.Crypto.Certificates;
using RdLicensing.Crypto.StandardSecurity;
using RdLicensing.Protocol.Tests.Connection;
using RdLicensing.Protocol.Tests.Licensing;
using RdLicensing.Wire.Connection;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Bench.Storm;

/// <summary>
/// One RDP client of our own over real TCP: the connection sequence of the protocol tests' TestRdpClient (X.224, MCS
/// Connect Initial, Erect Domain, Attach User, channel joins, then either TLS or the Standard RDP Security exchange with
/// an encrypted Client Info) and the licensing exchange of their FreeRDP-style TestLicensingClient, until the server's
/// NEW_LICENSE (MAC checked) and its Disconnect Provider Ultimatum. Both helpers are linked from the protocol tests.
/// </summary>
internal static class StormClient
{
    /// <summary>Connects, gets licensed, and returns the CAL's length; throws on anything unexpected.</summary>
    public static async Task<int> ConnectAsync(IPEndPoint server, bool tls, string machine, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(server, cancellationToken);
        Stream stream = tcp.GetStream();
        try
        {
            var rdp = new TestRdpClient();
            await stream.WriteAsync(TestRdpClient.ConnectionRequest(tls ? SecurityProtocols.Ssl : SecurityProtocols.Rdp), cancellationToken);
            await ReadPacketAsync(stream, cancellationToken); // X.224 Connection Confirm
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, _, _, _) => true },
                    cancellationToken);
                stream = ssl;
            }

            await stream.WriteAsync(TestRdpClient.ConnectInitial(EncryptionMethods.Bit40 | EncryptionMethods.Bit128), cancellationToken);
            McsConnectResponse response = TestRdpClient.DecodeData(await ReadPacketAsync(stream, cancellationToken), McsConnectResponse.Decode);
            await stream.WriteAsync(TestRdpClient.ErectDomain(), cancellationToken);
            await stream.WriteAsync(TestRdpClient.AttachUser(), cancellationToken);
            rdp.OnAttachUserConfirm(await ReadPacketAsync(stream, cancellationToken));
            foreach (ushort channel in new ushort[] { rdp.UserId, 1003 })
            {
                await stream.WriteAsync(rdp.ChannelJoin(channel), cancellationToken);
                await ReadPacketAsync(stream, cancellationToken); // Channel Join Confirm
            }

            RSAParameters? gccKey = null;
            bool encrypted = false;
            if (!tls)
            {
                ServerSecurityData security = response.UserData.UserData.Security;
                RSAParameters key = ServerCertificate.Decode(security.ServerCertificate!).GetPublicKey();
                gccKey = key;
                byte[] clientRandom = RandomNumberGenerator.GetBytes(32);
                clientRandom[^1] &= 0x3f;
                await stream.WriteAsync(rdp.SecurityExchange(clientRandom, security.ServerRandom!, key, EncryptionMethod.Bits128, SecurityFlags.ExchangePacket | SecurityFlags.LicenseEncrypt), cancellationToken);
                encrypted = true;
            }

            await stream.WriteAsync(rdp.ClientInfo("storm", "BENCH", encrypt: encrypted), cancellationToken);

            var licensing = new TestLicensingClient(ClientStyle.FreeRdp, "storm", machine, gccKey);
            byte[] request = await ReadLicensingAsync(rdp, stream, cancellationToken);
            await stream.WriteAsync(rdp.Secured(SecurityFlags.LicensePacket, licensing.OnLicenseRequest(request), encrypted), cancellationToken);
            byte[] challenge = await ReadLicensingAsync(rdp, stream, cancellationToken);
            await stream.WriteAsync(rdp.Secured(SecurityFlags.LicensePacket, licensing.OnPlatformChallenge(challenge), encrypted), cancellationToken);
            byte[] license = await ReadLicensingAsync(rdp, stream, cancellationToken);
            if ((LicensingMessageType)license[0] != LicensingMessageType.NewLicense)
            {
                throw new InvalidOperationException($"expected NEW_LICENSE, got {(LicensingMessageType)license[0]}");
            }

            int length = licensing.OnLicense(license).LicenseInfo.Length;

            // The connection ends when the server ends it (Disconnect Provider Ultimatum, then close): only then does the
            // next client of this worker start, so at most 64 connections are open at once.
            byte[] rest = new byte[256];
            try
            {
                while (await stream.ReadAsync(rest, cancellationToken) > 0)
                {
                }
            }
            catch (IOException)
            {
                // A reset instead of a clean close still ends the connection; the license was already checked.
            }

            return length;
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private static async Task<byte[]> ReadLicensingAsync(TestRdpClient rdp, Stream stream, CancellationToken cancellationToken)
    {
        (SecurityFlags flags, byte[] data) = rdp.Open(await ReadPacketAsync(stream, cancellationToken));
        return (flags & SecurityFlags.LicensePacket) != 0 ? data : throw new InvalidOperationException($"not a licensing pdu: {flags}");
    }

    /// <summary>One TPKT packet (header included).</summary>
    private static async Task<byte[]> ReadPacketAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] header = new byte[4];
        await stream.ReadExactlyAsync(header, cancellationToken);
        if (header[0] != 3)
        {
            throw new InvalidOperationException($"not a tpkt packet (first byte {header[0]})");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
        byte[] packet = new byte[length];
        header.CopyTo(packet, 0);
        await stream.ReadExactlyAsync(packet.AsMemory(4), cancellationToken);
        return packet;
    }
}
