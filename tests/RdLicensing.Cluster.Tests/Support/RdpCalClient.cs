using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using RdLicensing.Crypto.Certificates;
using RdLicensing.Crypto.StandardSecurity;
using RdLicensing.Protocol.Tests.Connection;
using RdLicensing.Protocol.Tests.Licensing;
using RdLicensing.Wire.Connection;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Cluster.Tests.Support;

/// <summary>What the session host told one connection at the end of its licensing exchange.</summary>
/// <param name="Answer">The last licensing PDU: NewLicense, UpgradeLicense or ErrorAlert.</param>
/// <param name="Cal">The CAL of NEW_LICENSE / UPGRADE_LICENSE (MAC checked), else null.</param>
/// <param name="Error">The error code of an ERROR_ALERT (StatusValidClient when the client was admitted), else null.</param>
internal sealed record RdpCalAnswer(LicensingMessageType Answer, byte[]? Cal, LicenseErrorCode? Error)
{
    public bool IsValidClient => Answer == LicensingMessageType.ErrorAlert && Error == LicenseErrorCode.StatusValidClient;
}

/// <summary>
/// One RDP client device of our own over real TCP to a session host's listener: the connection sequence of the protocol
/// tests' TestRdpClient (X.224, MCS Connect Initial, Erect Domain, Attach User, channel joins, the Standard RDP Security
/// exchange and an encrypted Client Info), then the licensing exchange of their FreeRDP-style TestLicensingClient:
/// NEW_LICENSE_REQUEST, or LICENSE_INFO with a stored CAL, answering a PLATFORM_CHALLENGE when one comes, until the
/// host's NEW_LICENSE, UPGRADE_LICENSE or ERROR_ALERT; then it reads until the host closes. Both helpers are linked
/// from the protocol tests (as the bench's storm client links them). The HWID is FreeRDP's: PlatformId then MD5 of the
/// machine name, so every machine name is a new device.
/// </summary>
internal static class RdpCalClient
{
    public const string User = "stormuser";

    /// <summary>The 20-byte HWID the session host sees for <paramref name="machine"/>.</summary>
    public static byte[] Hwid(string machine) => new TestLicensingClient(ClientStyle.FreeRdp, User, machine).Hwid;

    /// <summary>Connects, runs the licensing exchange (presenting <paramref name="storedCal"/> when given) and returns the host's answer.</summary>
    public static async Task<RdpCalAnswer> ConnectAsync(IPEndPoint host, string machine, byte[]? storedCal, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host, cancellationToken);
        await using NetworkStream stream = tcp.GetStream();
        var rdp = new TestRdpClient();
        await stream.WriteAsync(TestRdpClient.ConnectionRequest(SecurityProtocols.Rdp), cancellationToken);
        await ReadPacketAsync(stream, cancellationToken); // X.224 Connection Confirm
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

        ServerSecurityData security = response.UserData.UserData.Security;
        RSAParameters gccKey = ServerCertificate.Decode(security.ServerCertificate!).GetPublicKey();
        byte[] clientRandom = RandomNumberGenerator.GetBytes(32);
        clientRandom[^1] &= 0x3f;
        await stream.WriteAsync(
            rdp.SecurityExchange(clientRandom, security.ServerRandom!, gccKey, EncryptionMethod.Bits128, SecurityFlags.ExchangePacket | SecurityFlags.LicenseEncrypt),
            cancellationToken);
        await stream.WriteAsync(rdp.ClientInfo(User, "STORM", encrypt: true), cancellationToken);

        var licensing = new TestLicensingClient(ClientStyle.FreeRdp, User, machine, gccKey);
        byte[] request = await ReadLicensingAsync(rdp, stream, cancellationToken);
        await stream.WriteAsync(rdp.Secured(SecurityFlags.LicensePacket, licensing.OnLicenseRequest(request, storedCal), encrypt: true), cancellationToken);
        RdpCalAnswer? answer = null;
        for (int step = 0; answer is null; step++)
        {
            byte[] pdu = await ReadLicensingAsync(rdp, stream, cancellationToken);
            var type = (LicensingMessageType)pdu[0];
            switch (type)
            {
                case LicensingMessageType.PlatformChallenge when step == 0:
                    await stream.WriteAsync(rdp.Secured(SecurityFlags.LicensePacket, licensing.OnPlatformChallenge(pdu), encrypt: true), cancellationToken);
                    break;
                case LicensingMessageType.NewLicense or LicensingMessageType.UpgradeLicense:
                    answer = new RdpCalAnswer(type, licensing.OnLicense(pdu).LicenseInfo.ToArray(), null);
                    break;
                case LicensingMessageType.ErrorAlert:
                    answer = new RdpCalAnswer(type, null, Assert.IsType<LicenseErrorMessage>(LicensingPdu.Decode(pdu).Message).DwErrorCode);
                    break;
                default:
                    throw new InvalidOperationException($"unexpected licensing pdu {type} at step {step}");
            }
        }

        // The host ends the connection (Disconnect Provider Ultimatum, then close) once licensing is done; waiting for
        // it means the host has finished with this connection (its events raised) before the client goes on.
        byte[] rest = new byte[256];
        try
        {
            while (await stream.ReadAsync(rest, cancellationToken) > 0)
            {
            }
        }
        catch (IOException)
        {
            // a reset instead of a clean close still ends the connection
        }

        return answer;
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
