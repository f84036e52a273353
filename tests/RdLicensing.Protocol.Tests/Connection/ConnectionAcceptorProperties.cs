using CsCheck;
using RdLicensing.Protocol.Connection;
using RdLicensing.Wire;
using RdLicensing.Wire.Connection;

namespace RdLicensing.Protocol.Tests.Connection;

/// <summary>
/// Random and mutated packets into the acceptor at every phase: it either steps or throws ProtocolException (and is
/// closed after it); never another exception.
/// </summary>
public sealed class ConnectionAcceptorProperties
{
    [Fact]
    public void Mutated_packets_at_every_phase_step_or_fail_cleanly()
    {
        Gen<(int Phase, byte[] Packet)> inputs =
            from phase in Gen.Int[0, 5]
            from kind in Gen.Int[0, 2]
            from position in Gen.Int[0, 1000]
            from value in Gen.Byte
            select (phase, Mutate(Valid(phase), kind, position, value));
        inputs.Sample(input => Check(input.Phase, input.Packet), iter: 1500, threads: 1);
    }

    [Fact]
    public void Random_packets_at_every_phase_step_or_fail_cleanly() =>
        (from phase in Gen.Int[0, 5] from body in Gen.Byte.Array[0, 200] select (phase, body))
            .Sample(input => Check(input.phase, TpktHeader.Wrap(input.body)), iter: 1500, threads: 1);

    private static void Check(int phase, byte[] packet)
    {
        ConnectionAcceptor acceptor = AcceptorAt(phase, out _);
        try
        {
            acceptor.Step(packet);
        }
        catch (ProtocolException error)
        {
            Assert.False(string.IsNullOrEmpty(error.Structure));
            Assert.Equal(ConnectionPhase.Closed, acceptor.Phase);
        }
    }

    /// <summary>A valid packet for the phase: 0 CR, 1 Connect Initial, 2 Erect Domain, 3 Attach User, 4 Join, 5 Client Info.</summary>
    private static byte[] Valid(int phase)
    {
        var client = new TestRdpClient();
        AcceptorAt(Math.Min(phase, 4), out TestRdpClient prepared);
        return phase switch
        {
            0 => TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl),
            1 => TestRdpClient.ConnectInitial(EncryptionMethods.Bit128, "rdpdr"),
            2 => TestRdpClient.ErectDomain(),
            3 => TestRdpClient.AttachUser(),
            4 => prepared.ChannelJoin(1003),
            _ => prepared.ClientInfo("alice", "", encrypt: false),
        };
    }

    private static ConnectionAcceptor AcceptorAt(int phase, out TestRdpClient client)
    {
        client = new TestRdpClient();
        ConnectionAcceptor acceptor = ConnectionAcceptorTests.Acceptor(tls: true, preferRdp: false);
        if (phase >= 1)
        {
            acceptor.Step(TestRdpClient.ConnectionRequest(SecurityProtocols.Ssl));
        }

        if (phase >= 2)
        {
            acceptor.Step(TestRdpClient.ConnectInitial(EncryptionMethods.Bit128, "rdpdr"));
        }

        if (phase >= 3)
        {
            acceptor.Step(TestRdpClient.ErectDomain());
        }

        if (phase >= 4)
        {
            client.OnAttachUserConfirm(acceptor.Step(TestRdpClient.AttachUser()).Output[0]);
        }

        if (phase >= 5)
        {
            acceptor.Step(client.ChannelJoin(1003));
        }

        return acceptor;
    }

    private static byte[] Mutate(byte[] seed, int kind, int position, byte value)
    {
        byte[] copy = [.. seed];
        int at = position % copy.Length;
        switch (kind)
        {
            case 0:
                copy[at] = value;
                return copy;
            case 1:
                return copy[..at];
            default:
                return [.. copy[..at], value, .. copy[at..]];
        }
    }
}
