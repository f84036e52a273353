using System.Security.Cryptography;
using RdLicensing.Crypto;
using RdLicensing.Crypto.StandardSecurity;
using RdLicensing.Wire;
using RdLicensing.Wire.Connection;

namespace RdLicensing.Protocol.Tests.Connection;

/// <summary>
/// The client side of the [MS-RDPBCGR] connection sequence, built from the Wire codecs, to drive
/// <see cref="RdLicensing.Protocol.Connection.ConnectionAcceptor"/> as rdesktop and FreeRDP do.
/// </summary>
internal sealed class TestRdpClient
{
    private StandardSecuritySession? _session;

    public ushort UserId { get; private set; }

    public static byte[] ConnectionRequest(SecurityProtocols? requested) =>
        Packet(new X224ConnectionRequest
        {
            RoutingTokenOrCookie = "Cookie: mstshash=alice",
            NegotiationRequest = requested is { } r ? new RdpNegotiationRequest(0, r) : null,
        });

    public static byte[] ConnectInitial(EncryptionMethods methods, params string[] channels)
    {
        var parameters = new DomainParameters(34, 2, 0, 1, 0, 1, 65535, 2);
        var initial = new McsConnectInitial
        {
            CallingDomainSelector = [1],
            CalledDomainSelector = [1],
            TargetParameters = parameters,
            MinimumParameters = parameters,
            MaximumParameters = parameters,
            UserData = new ConferenceCreateRequest
            {
                UserData = new ClientDataBlocks
                {
                    Core = new ClientCoreData { Version = 0x00080004, DesktopWidth = 800, DesktopHeight = 600, ClientName = "testclient" },
                    Security = new ClientSecurityData(methods, EncryptionMethods.None),
                    Network = new ClientNetworkData { Channels = channels.Select(c => new ChannelDefinition(c, 0x80000000)).ToArray() },
                },
            },
        };
        return Data(initial.EncodedSize, initial.Encode);
    }

    public static byte[] ErectDomain() => Data(new McsErectDomainRequest(0, 0));

    public static byte[] AttachUser() => Data(1, (ref WireWriter w) => new McsAttachUserRequest().Encode(ref w));

    public byte[] ChannelJoin(ushort channelId) => Data(new McsChannelJoinRequest(UserId, channelId));

    public void OnAttachUserConfirm(byte[] packet)
    {
        var reader = new WireReader(TpktHeader.Unwrap(packet));
        X224DataHeader.Decode(ref reader);
        McsAttachUserConfirm confirm = McsAttachUserConfirm.Decode(ref reader);
        Assert.Equal(0, confirm.Result);
        UserId = confirm.Initiator!.Value;
    }

    /// <summary>Encrypts a client random to the server key and keeps the client's view of the session keys.</summary>
    public byte[] SecurityExchange(byte[] clientRandom, byte[] serverRandom, RSAParameters serverPublicKey, EncryptionMethod method, SecurityFlags flags)
    {
        byte[] encrypted = RawRsa.Encrypt(clientRandom, serverPublicKey);
        StandardSecurityKeys server = StandardSecurityKeys.Derive(clientRandom, serverRandom, method);
        _session = new StandardSecuritySession(server with { EncryptKey = server.DecryptKey, DecryptKey = server.EncryptKey });
        var pdu = new SecurityExchangePdu { Flags = flags, EncryptedClientRandom = encrypted };
        return SendData(Encode(pdu.EncodedSize, pdu.Encode));
    }

    public byte[] ClientInfo(string user, string domain, bool encrypt) =>
        Secured(SecurityFlags.InfoPacket, ClientInfoBody(user, domain), encrypt);

    public static byte[] ClientInfoBody(string user, string domain)
    {
        var info = new ClientInfoPacket { CodePage = 0, Flags = ClientInfoPacket.InfoUnicode, UserName = user, Domain = domain, Password = "x" };
        return Encode(info.EncodedSize, info.Encode);
    }

    /// <summary>Security header (encrypted and signed when asked), then the data, in a Send Data Request on 1003.</summary>
    public byte[] Secured(SecurityFlags flags, byte[] data, bool encrypt)
    {
        byte[] body;
        if (encrypt)
        {
            byte[] sealedData = _session!.Encrypt(data);
            body = [.. Encode(4, (ref WireWriter w) => new BasicSecurityHeader(flags | SecurityFlags.Encrypt).Encode(ref w)), .. sealedData];
        }
        else
        {
            body = [.. Encode(4, (ref WireWriter w) => new BasicSecurityHeader(flags).Encode(ref w)), .. data];
        }

        return SendData(body);
    }

    /// <summary>Opens a server Send Data Indication on 1003: returns the security flags and the (decrypted) data.</summary>
    public (SecurityFlags Flags, byte[] Data) Open(byte[] packet)
    {
        var reader = new WireReader(TpktHeader.Unwrap(packet));
        X224DataHeader.Decode(ref reader);
        McsSendDataIndication indication = McsSendDataIndication.Decode(ref reader);
        Assert.Equal((ushort)1003, indication.ChannelId);
        var inner = new WireReader(indication.UserData);
        BasicSecurityHeader header = BasicSecurityHeader.Decode(ref inner);
        if ((header.Flags & SecurityFlags.Encrypt) == 0)
        {
            return (header.Flags, inner.RemainingSpan.ToArray());
        }

        ReadOnlySpan<byte> signature = inner.ReadBytes(8, "test", "signature");
        byte[] plain = new byte[inner.Remaining];
        Assert.True(_session!.TryDecrypt(signature, inner.RemainingSpan, plain), "the server's mac signature does not verify");
        return (header.Flags, plain);
    }

    public byte[] SendData(byte[] userData) => Data(new McsSendDataRequest(UserId, 1003, userData));

    public static T DecodeData<T>(byte[] packet, DecodeFunc<T> decode)
    {
        var reader = new WireReader(TpktHeader.Unwrap(packet));
        X224DataHeader.Decode(ref reader);
        T value = decode(ref reader);
        reader.EnsureEnd("test");
        return value;
    }

    public delegate T DecodeFunc<out T>(ref WireReader reader);

    public delegate void EncodeFunc(ref WireWriter writer);

    private static byte[] Packet(X224ConnectionRequest request) => TpktHeader.Wrap(Encode(request.EncodedSize, request.Encode));

    private static byte[] Data(McsErectDomainRequest pdu) => Data(pdu.EncodedSize, pdu.Encode);

    private static byte[] Data(McsChannelJoinRequest pdu) => Data(pdu.EncodedSize, pdu.Encode);

    private static byte[] Data(McsSendDataRequest pdu) => Data(pdu.EncodedSize, pdu.Encode);

    private static byte[] Data(int size, EncodeFunc encode) =>
        TpktHeader.Wrap([.. Encode(X224DataHeader.Size, X224DataHeader.Encode), .. Encode(size, encode)]);

    private static byte[] Encode(int size, EncodeFunc encode)
    {
        byte[] bytes = new byte[size];
        var writer = new WireWriter(bytes);
        encode(ref writer);
        Assert.Equal(size, writer.Position);
        return bytes;
    }
}
