using CsCheck;
using RdLicensing.Wire.Connection;
using RdLicensing.Wire.Tests.Licensing;

namespace RdLicensing.Wire.Tests.Connection;

/// <summary>
/// Random and mutated inputs into every connection decoder: each returns a value or throws ProtocolException naming
/// a structure, nothing else (no other exception, no hang). Inputs that ever broke this are kept under
/// FuzzRegression/Connection and replayed.
/// </summary>
public sealed class ConnectionDecoderProperties
{
    private static readonly Action<byte[]>[] Decoders =
    [
        b => Run(b, TpktHeader.Decode),
        b => TpktHeader.TryGetPacketLength(b, 4096, out _),
        b => Run(b, X224ConnectionRequest.Decode),
        b => Run(b, X224ConnectionConfirm.Decode),
        b => Run(b, McsConnectInitial.Decode),
        b => Run(b, McsConnectResponse.Decode),
        b => Run(b, DomainParameters.Decode),
        b => Run(b, ConferenceCreateRequest.Decode),
        b => Run(b, ClientDataBlocks.Decode),
        b => Run(b, ServerDataBlocks.Decode),
        b => Run(b, ClientCoreData.Decode),
        b => Run(b, ClientNetworkData.Decode),
        b => Run(b, ServerSecurityData.Decode),
        b => Run(b, McsErectDomainRequest.Decode),
        b => Run(b, McsAttachUserConfirm.Decode),
        b => Run(b, McsChannelJoinRequest.Decode),
        b => Run(b, McsChannelJoinConfirm.Decode),
        b => Run(b, McsSendDataRequest.Decode),
        b => Run(b, McsSendDataIndication.Decode),
        b => Run(b, McsDisconnectProviderUltimatum.Decode),
        b => Run(b, NonFipsSecurityHeader.Decode),
        b => Run(b, SecurityExchangePdu.Decode),
        b => Run(b, ClientInfoPacket.Decode),
    ];

    private static readonly byte[][] Seeds =
    [
        ConnectionVectors.Load("mcs-connect-initial.hex"),
        ConnectionVectors.Load("mcs-connect-response.hex"),
        ConnectionVectors.Load("client-info-unicode.hex"),
        ConnectionVectors.Hex("27e000000000 00 436f6f6b69653a206d737473686173683d656c746f6e730d0a 0100080003000000"),
        ConnectionVectors.Hex("0ed000001234 00 0200080001000000"),
        ConnectionVectors.Hex("64000603eb7014 80000000 ff031000 07000000 02000000 04000000"),
        ConnectionVectors.Hex("3e00000603ef03ef"),
        ConnectionVectors.Hex("01020000 10000000 000102030405060708090a0b0c0d0e0f"),
    ];

    [Fact]
    public void Random_bytes_decode_or_fail_cleanly() =>
        Gen.Byte.Array[0, 300].Sample(CheckAll, iter: 2000, threads: 1);

    [Fact]
    public void Mutated_pdus_decode_or_fail_cleanly()
    {
        Gen<byte[]> mutated =
            from seed in Gen.Int[0, Seeds.Length - 1]
            from kind in Gen.Int[0, 3]
            from position in Gen.Int[0, 4096]
            from value in Gen.Byte
            from cut in Gen.Int[0, 4096]
            select Mutate(Seeds[seed], kind, position, value, cut);
        mutated.Sample(CheckAll, iter: 3000, threads: 1);
    }

    [Fact]
    public void Saved_inputs_still_decode_or_fail_cleanly()
    {
        string[] files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "FuzzRegression", "Connection"), "*.hex");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            CheckAll(Convert.FromHexString(string.Concat(File.ReadAllLines(file).Where(l => !l.StartsWith('#'))).Replace(" ", "", StringComparison.Ordinal)));
        }
    }

    private static void CheckAll(byte[] input)
    {
        foreach (Action<byte[]> decode in Decoders)
        {
            try
            {
                decode(input);
            }
            catch (ProtocolException error)
            {
                Assert.False(string.IsNullOrEmpty(error.Structure));
            }
        }
    }

    private static byte[] Mutate(byte[] seed, int kind, int position, byte value, int cut)
    {
        byte[] copy = [.. seed];
        int at = position % copy.Length;
        switch (kind)
        {
            case 0:
                copy[at] = value;
                return copy;
            case 1:
                copy[at] ^= (byte)(1 << (value % 8));
                return copy;
            case 2:
                return copy[..(cut % (copy.Length + 1))];
            default:
                return [.. copy[..at], value, .. copy[at..]];
        }
    }

    private static void Run<T>(byte[] input, DecodeFunc<T> decode)
    {
        var reader = new WireReader(input);
        _ = decode(ref reader);
    }
}
