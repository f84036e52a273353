using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using RdLicensing.Crypto.Licensing;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Protocol.Tests.Licensing;

namespace RdLicensing.Bench.Exchange;

/// <summary>
/// Benchmark 3: the [MS-RDPELE] exchange sans-IO in process. One exchange = LicensingServerExchange (TLS flavour: the
/// proprietary certificate sent, a 512-bit server key) against the protocol tests' FreeRDP-style client (random client
/// random and premaster RSA-encrypted to the certificate, HWID = MD5 of the name, encrypted challenge response, MACs
/// checked on both sides), ending with a NEW_LICENSE carrying a CAL. Floor: exactly the cryptographic operations both
/// sides of that exchange perform (raw RSA encryption and decryption of the premaster, two key derivations, the RC4
/// transforms and MACs of every blob, the MD5 of the HWID), timed alone with the same sizes.
/// </summary>
internal static class ExchangeBench
{
    // A CAL as our server issues them is a PKCS#7 SignedData of about 1.5 KB (docs/cal-format.md).
    private static readonly byte[] Cal = RandomNumberGenerator.GetBytes(1536);

    public static Section Run(bool quick)
    {
        var section = new Section(
            "3. Licensing exchange, sans-IO in process",
            "Full new-license exchanges per second on one thread: LicensingServerExchange (TLS flavour, 512-bit server key, " +
            "as Windows license servers use) against the FreeRDP-style TestLicensingClient of the protocol tests (linked into " +
            "the bench), including the client's own work, ending with NEW_LICENSE carrying a 1.5 KB CAL. Floor: only the " +
            "cryptography one such exchange performs on both sides (2 raw RSA operations, 2 key derivations, 8 RC4 transforms, " +
            "5 MACs, 1 MD5), same sizes, timed alone. Rounds alternate exchange and floor so both see the same machine load; " +
            "the figures are medians over rounds.");
        int perRound = quick ? 300 : 1_000;
        int rounds = quick ? 3 : 5;

        // Check once that an exchange really completes and the client accepts the license.
        if (!OneExchange(0))
        {
            throw new InvalidOperationException("the exchange did not complete");
        }

        Warm(perRound / 3);
        var exchangeRates = new List<double>();
        var floorRates = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            exchangeRates.Add(Time(perRound, i => OneExchange(round * perRound + i)));
            floorRates.Add(Time(perRound, _ => CryptoFloor()));
        }

        double exchange = Median(exchangeRates), floor = Median(floorRates);
        section.Add(new Figure("exchanges/s (1 thread)", exchange, "exchanges/s", floor, "crypto floor", "≥ 70% of floor", exchange >= 0.7 * floor));
        section.Add(new Figure("time per exchange", 1_000_000 / exchange, "µs"));
        section.Add(new Figure("crypto floor per exchange", 1_000_000 / floor, "µs"));
        section.Notes.Add(Report.Invariant($"{rounds} rounds of {perRound:N0}; exchange rates {string.Join(", ", exchangeRates.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}; floor rates {string.Join(", ", floorRates.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}."));
        return section;
    }

    private static void Warm(int count)
    {
        for (int i = 0; i < count; i++)
        {
            OneExchange(i);
            CryptoFloor();
        }
    }

    private static double Time(int count, Func<int, bool> work)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            if (!work(i))
            {
                throw new InvalidOperationException("a benchmark iteration failed");
            }
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>One full exchange: license request, new-license request, platform challenge, response, new license.</summary>
    private static bool OneExchange(int seed)
    {
        LicensingServerExchange server = ServerSetup.Tls(seed);
        var client = new TestLicensingClient(ClientStyle.FreeRdp, "bob", "fclient");
        var output = new ArrayBufferWriter<byte>(2048);
        server.Start(output);
        byte[] newLicenseRequest = client.OnLicenseRequest(output.WrittenSpan.ToArray());
        output.ResetWrittenCount();
        server.Step(newLicenseRequest, output);
        byte[] response = client.OnPlatformChallenge(output.WrittenSpan.ToArray());
        output.ResetWrittenCount();
        LicensingStepResult result = server.Step(response, output);
        if (!result.NeedsDecision)
        {
            return false;
        }

        output.ResetWrittenCount();
        server.Decide(LicenseDecision.IssueNewLicense(Cal), output);
        return client.OnLicense(output.WrittenSpan.ToArray()).LicenseInfo.Length == Cal.Length && server.IsFinished;
    }

    // The size of the NEW_LICENSE_INFO the server encrypts around the CAL, with the exchange's default product info.
    private static readonly int InfoSize = new RdLicensing.Wire.Licensing.NewLicenseInfo(
        RdLicensing.Wire.Licensing.NewLicenseInfo.Version6, RdLicensing.Wire.Licensing.Scope.Microsoft, "Microsoft Corporation", "A02", Cal).ToBytes().Length;

    private static readonly byte[] Machine = Encoding.ASCII.GetBytes("fclient");

    /// <summary>The cryptography of one exchange, both sides, in the order the exchange does it.</summary>
    private static bool CryptoFloor()
    {
        // Server: SERVER_LICENSE_REQUEST needs the server random.
        Span<byte> serverRandom = stackalloc byte[32];
        RandomNumberGenerator.Fill(serverRandom);

        // Client: HWID, client random, premaster, RSA to the server key, its keys.
        byte[] hwid = [0x00, 0x00, 0x01, 0x04, .. MD5.HashData(Machine)];
        byte[] clientRandom = new byte[32];
        byte[] premaster = new byte[48];
        RandomNumberGenerator.Fill(clientRandom);
        RandomNumberGenerator.Fill(premaster);
        premaster[^1] &= 0x3f;
        byte[] encrypted = LicensingCrypto.EncryptPremasterSecret(premaster, ServerSetup.PublicKey);
        LicensingKeys clientKeys = LicensingCrypto.DeriveKeys(premaster, clientRandom, serverRandom);

        // Server: premaster back, its keys, the encrypted challenge and its MAC.
        byte[] serverPremaster = LicensingCrypto.DecryptPremasterSecret(encrypted, ServerSetup.PrivateKey);
        LicensingKeys serverKeys = LicensingCrypto.DeriveKeys(serverPremaster, clientRandom, serverRandom);
        byte[] challenge = LicensingCrypto.Encrypt(serverKeys.LicensingEncryptionKey, LicensingServerExchange.PlatformChallenge);
        byte[] challengeMac = LicensingCrypto.Mac(serverKeys.MacSaltKey, LicensingServerExchange.PlatformChallenge);

        // Client: decrypt and check the challenge, encrypt the response data and the HWID, MAC both.
        byte[] plain = LicensingCrypto.Decrypt(clientKeys.LicensingEncryptionKey, challenge);
        bool ok = LicensingCrypto.VerifyMac(clientKeys.MacSaltKey, plain, challengeMac);
        byte[] responseData = TestLicensingClient.FreeRdpResponseData(plain);
        byte[] encryptedResponse = LicensingCrypto.Encrypt(clientKeys.LicensingEncryptionKey, responseData);
        byte[] encryptedHwid = LicensingCrypto.Encrypt(clientKeys.LicensingEncryptionKey, hwid);
        byte[] responseMac = LicensingCrypto.Mac(clientKeys.MacSaltKey, [.. responseData, .. hwid]);

        // Server: decrypt both, check the MAC; encrypt and MAC the license info (the CAL and its 8 header bytes).
        byte[] data = LicensingCrypto.Decrypt(serverKeys.LicensingEncryptionKey, encryptedResponse);
        byte[] serverHwid = LicensingCrypto.Decrypt(serverKeys.LicensingEncryptionKey, encryptedHwid);
        ok &= LicensingCrypto.VerifyMac(serverKeys.MacSaltKey, [.. data, .. serverHwid], responseMac);
        byte[] info = new byte[InfoSize];
        Cal.CopyTo(info, 0);
        byte[] encryptedInfo = LicensingCrypto.Encrypt(serverKeys.LicensingEncryptionKey, info);
        byte[] infoMac = LicensingCrypto.Mac(serverKeys.MacSaltKey, info);

        // Client: decrypt the license and check its MAC.
        byte[] license = LicensingCrypto.Decrypt(clientKeys.LicensingEncryptionKey, encryptedInfo);
        ok &= LicensingCrypto.VerifyMac(clientKeys.MacSaltKey, license, infoMac);
        return ok;
    }
}
