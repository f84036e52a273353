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
        var reader = new PacketReader(stream);
        try
        {
            var rdp = new TestRdpClient();
            await stream.WriteAsync(TestRdpClient.ConnectionRequest(tls ? SecurityProtocols.Ssl : SecurityProtocols.Rdp), cancellationToken);
            await reader.ReadPacketAsync(cancellationToken); // X.224 Connection Confirm
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, _, _, _) => true },
                    cancellationToken);
                stream = ssl;
                reader.StartTls(ssl);
            }

            await stream.WriteAsync(TestRdpClient.ConnectInitial(EncryptionMethods.Bit40 | EncryptionMethods.Bit128), cancellationToken);
            McsConnectResponse response = TestRdpClient.DecodeData(await reader.ReadPacketAsync(cancellationToken), McsConnectResponse.Decode);
            // PDUs the client sends back to back without waiting for an answer go out in one write (the same bytes; the
            // server's packet reader splits them), as they would share a TCP segment from a client that does not wait.
            byte[] erectAndAttach = [.. TestRdpClient.ErectDomain(), .. TestRdpClient.AttachUser()];
            await stream.WriteAsync(erectAndAttach, cancellationToken);
            rdp.OnAttachUserConfirm(await reader.ReadPacketAsync(cancellationToken));
            foreach (ushort channel in new ushort[] { rdp.UserId, 1003 })
            {
                await stream.WriteAsync(rdp.ChannelJoin(channel), cancellationToken);
                await reader.ReadPacketAsync(cancellationToken); // Channel Join Confirm
            }

            RSAParameters? gccKey = null;
            bool encrypted = false;
            byte[] securityExchange = [];
            if (!tls)
            {
                ServerSecurityData security = response.UserData.UserData.Security;
                RSAParameters key = ServerCertificate.Decode(security.ServerCertificate!).GetPublicKey();
                gccKey = key;
                byte[] clientRandom = RandomNumberGenerator.GetBytes(32);
                clientRandom[^1] &= 0x3f;
                securityExchange = rdp.SecurityExchange(clientRandom, security.ServerRandom!, key, EncryptionMethod.Bits128, SecurityFlags.ExchangePacket | SecurityFlags.LicenseEncrypt);
                encrypted = true;
            }

            byte[] exchangeAndInfo = [.. securityExchange, .. rdp.ClientInfo("storm", "BENCH", encrypt: encrypted)];
            await stream.WriteAsync(exchangeAndInfo, cancellationToken);

            var licensing = new TestLicensingClient(ClientStyle.FreeRdp, "storm", machine, gccKey);
            byte[] request = await ReadLicensingAsync(rdp, reader, cancellationToken);
            await stream.WriteAsync(rdp.Secured(SecurityFlags.LicensePacket, licensing.OnLicenseRequest(request), encrypted), cancellationToken);
            byte[] challenge = await ReadLicensingAsync(rdp, reader, cancellationToken);
            await stream.WriteAsync(rdp.Secured(SecurityFlags.LicensePacket, licensing.OnPlatformChallenge(challenge), encrypted), cancellationToken);
            byte[] license = await ReadLicensingAsync(rdp, reader, cancellationToken);
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
                while (await reader.ReadAsync(rest, cancellationToken) > 0)
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

    private static async Task<byte[]> ReadLicensingAsync(TestRdpClient rdp, PacketReader reader, CancellationToken cancellationToken)
    {
        (SecurityFlags flags, byte[] data) = rdp.Open(await reader.ReadPacketAsync(cancellationToken));
        return (flags & SecurityFlags.LicensePacket) != 0 ? data : throw new InvalidOperationException($"not a licensing pdu: {flags}");
    }

    /// <summary>
    /// Whole TPKT packets from one connection, read into a buffer: one read usually brings a whole packet (or several),
    /// where reading the 4-byte header and then the rest took two reads per packet.
    /// </summary>
    private sealed class PacketReader(Stream stream)
    {
        private Stream _stream = stream;
        private byte[] _buffer = new byte[4096];
        private int _start;
        private int _count;

        /// <summary>Continues over the TLS stream; the server sends nothing between X.224 and the handshake.</summary>
        public void StartTls(Stream tls) =>
            _stream = _count == 0 ? tls : throw new InvalidOperationException("the server sent data before the tls handshake");

        /// <summary>One TPKT packet (header included).</summary>
        public async Task<byte[]> ReadPacketAsync(CancellationToken cancellationToken)
        {
            await FillAsync(4, cancellationToken);
            if (_buffer[_start] != 3)
            {
                throw new InvalidOperationException($"not a tpkt packet (first byte {_buffer[_start]})");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2));
            if (length < 4)
            {
                throw new InvalidOperationException($"tpkt length {length} is shorter than its header");
            }

            await FillAsync(length, cancellationToken);
            byte[] packet = _buffer.AsSpan(_start, length).ToArray();
            _start += length;
            _count -= length;
            return packet;
        }

        /// <summary>Buffered bytes first, then the stream (for draining to the close).</summary>
        public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
        {
            if (_count == 0)
            {
                return await _stream.ReadAsync(destination, cancellationToken);
            }

            int taken = Math.Min(_count, destination.Length);
            _buffer.AsSpan(_start, taken).CopyTo(destination.Span);
            _start += taken;
            _count -= taken;
            return taken;
        }

        private async ValueTask FillAsync(int needed, CancellationToken cancellationToken)
        {
            if (_start + needed > _buffer.Length)
            {
                byte[] target = needed > _buffer.Length ? new byte[Math.Max(needed, _buffer.Length * 2)] : _buffer;
                _buffer.AsSpan(_start, _count).CopyTo(target);
                _buffer = target;
                _start = 0;
            }

            while (_count < needed)
            {
                int read = await _stream.ReadAsync(_buffer.AsMemory(_start + _count), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException($"the server closed the connection inside a packet ({_count} of {needed} bytes)");
                }

                _count += read;
            }
        }
    }
}
