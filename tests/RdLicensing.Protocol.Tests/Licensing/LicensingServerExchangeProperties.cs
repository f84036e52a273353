using System.Buffers;
using CsCheck;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Protocol.Tests.Licensing;

/// <summary>
/// Random and mutated client payloads thrown at the server exchange: every step returns a defined result (never an
/// exception), writes nothing or exactly one licensing PDU that decodes, and only the documented PDUs come out of
/// each transition.
/// </summary>
public sealed class LicensingServerExchangeProperties
{
    private static readonly Lazy<byte[][]> Seeds = new(BuildSeeds);

    [Fact]
    public void Random_bytes_in_every_waiting_state_give_defined_outcomes()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Bool).Sample((input, afterChallenge) =>
        {
            LicensingServerExchange server = afterChallenge ? AtChallenge() : Started();
            CheckStep(server, input);
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void Mutated_client_pdus_in_sequence_give_defined_outcomes()
    {
        Gen<(int Seed, int Kind, int Position, uint Value)> mutation = Gen.Select(Gen.Int[0, 100], Gen.Int[0, 5], Gen.Int[0, 4096], Gen.UInt);
        Gen.Select(mutation.Array[1, 4], Gen.Int[0, 3]).Sample((steps, decision) =>
        {
            LicensingServerExchange server = Started();
            foreach ((int seed, int kind, int position, uint value) in steps)
            {
                if (server.IsFinished)
                {
                    break;
                }

                if (server.State == LicensingExchangeState.AwaitingDecision)
                {
                    Decide(server, decision);
                    break;
                }

                byte[][] seeds = Seeds.Value;
                CheckStep(server, Mutate(seeds[seed % seeds.Length], kind, position, value));
            }
        }, iter: 400, threads: 1);
    }

    private static LicensingServerExchange Started()
    {
        LicensingServerExchange server = ServerSetup.Tls(seed: 1);
        server.Start(new ArrayBufferWriter<byte>());
        return server;
    }

    private static LicensingServerExchange AtChallenge()
    {
        LicensingServerExchange server = Started();
        server.Step(Seeds.Value[0], new ArrayBufferWriter<byte>());
        Assert.Equal(LicensingExchangeState.AwaitingPlatformChallengeResponse, server.State);
        return server;
    }

    private static void CheckStep(LicensingServerExchange server, byte[] input)
    {
        LicensingExchangeState before = server.State;
        var output = new ArrayBufferWriter<byte>();
        LicensingStepResult result = server.Step(input, output);
        Assert.Equal(output.WrittenCount, result.BytesWritten);
        Assert.Equal(server.State, result.State);
        Assert.True(Enum.IsDefined(result.State));

        if (result.BytesWritten == 0)
        {
            // Silence: the client's own abort, a tolerated alert, or a verified client awaiting the decision.
            Assert.True(
                result.State == before
                || result.State == LicensingExchangeState.AwaitingDecision
                || server.Outcome == LicensingExchangeOutcome.ClientAborted,
                $"silent move from {before} to {result.State} ({server.Outcome})");
            Assert.Equal(result.State == LicensingExchangeState.AwaitingDecision, server.PendingDecision is not null);
            return;
        }

        ILicensingMessage reply = LicensingPdu.Decode(output.WrittenSpan).Message;
        switch (result.State)
        {
            case LicensingExchangeState.Failed:
                var error = Assert.IsType<LicenseErrorMessage>(reply);
                Assert.Equal(LicenseStateTransition.StTotalAbort, error.DwStateTransition);
                Assert.NotNull(server.FailureReason);
                break;
            case LicensingExchangeState.AwaitingPlatformChallengeResponse:
                Assert.IsType<ServerPlatformChallenge>(reply);
                break;
            case LicensingExchangeState.AwaitingClientRequest:
                Assert.IsType<ServerLicenseRequest>(reply); // a reset or a resend
                break;
            default:
                Assert.Fail($"{reply.MessageType} written on the way to {result.State}");
                break;
        }
    }

    private static void Decide(LicensingServerExchange server, int decision)
    {
        var output = new ArrayBufferWriter<byte>();
        LicensingStepResult result = server.Decide(
            decision switch
            {
                0 => LicenseDecision.IssueNewLicense([1, 2, 3]),
                1 => LicenseDecision.UpgradeLicense([4, 5]),
                2 => LicenseDecision.ValidClient(),
                _ => LicenseDecision.Refuse(LicenseErrorCode.ErrNoLicense, LicenseStateTransition.StTotalAbort),
            },
            output);
        Assert.True(result.IsFinished);
        Assert.NotEqual(LicensingExchangeOutcome.None, server.Outcome);
        _ = LicensingPdu.Decode(output.WrittenSpan);
    }

    private static byte[][] BuildSeeds()
    {
        var seeds = new List<byte[]>();
        foreach (ClientStyle style in new[] { ClientStyle.Rdesktop, ClientStyle.FreeRdp })
        {
            LicensingServerExchange server = ServerSetup.Tls(seed: 1);
            var client = new TestLicensingClient(style);
            byte[] request = ServerSetup.Run(server.Start, out _);
            byte[] newRequest = client.OnLicenseRequest(request);
            byte[] challenge = ServerSetup.Run(o => server.Step(newRequest, o), out _);
            seeds.Add(newRequest);
            seeds.Add(client.OnPlatformChallenge(challenge));
            seeds.Add(new TestLicensingClient(style).OnLicenseRequest(request, storedCal: [0x30, 0x03, 0x01, 0x02, 0x03]));
        }

        foreach (LicenseStateTransition transition in Enum.GetValues<LicenseStateTransition>())
        {
            seeds.Add(LicensingPdu.Serialize(new LicenseErrorMessage(LicenseErrorCode.ErrNoLicense, transition)));
        }

        seeds.Add(LicensingPdu.Serialize(LicenseErrorMessage.ValidClient()));
        return [.. seeds];
    }

    private static byte[] Mutate(byte[] seed, int kind, int position, uint value)
    {
        byte[] bytes = [.. seed];
        int at = position % bytes.Length;
        switch (kind)
        {
            case 0:
                bytes[at] ^= (byte)(value | 1);
                return bytes;
            case 1:
                return bytes[..at];
            case 2:
                return [.. bytes[..at], (byte)value, .. bytes[at..]];
            case 3:
                if (at + 2 <= bytes.Length)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)(value % 3 == 0 ? 0xFFFF : value));
                }

                return bytes;
            default:
                return bytes; // unchanged: the valid path, so decisions are reached too
        }
    }
}
