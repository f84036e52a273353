using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography;
using RdLicensing.Protocol.Connection;
using RdLicensing.Protocol.Licensing;
using RdLicensing.Wire.Licensing;

namespace RdLicensing.Server.SessionHost;

/// <summary>
/// Drives one client connection: frames TPKT packets, steps the <see cref="ConnectionAcceptor"/>, starts TLS when it
/// says so, then runs the licensing exchange over the acceptor's framing helpers and closes with a Disconnect
/// Provider Ultimatum.
/// </summary>
internal sealed class SessionHostConnection
{
    private readonly long _id;
    private readonly SessionHostOptions _options;
    private readonly SessionHostCredentials _credentials;
    private readonly ISessionHostLicensing _licensing;
    private readonly Action<SessionHostEvent> _raise;

    public SessionHostConnection(
        long id,
        SessionHostOptions options,
        SessionHostCredentials credentials,
        ISessionHostLicensing licensing,
        Action<SessionHostEvent> raise)
    {
        _id = id;
        _options = options;
        _credentials = credentials;
        _licensing = licensing;
        _raise = raise;
    }

    /// <summary>Runs the connection to its end; returns the stream in use at the end (TLS or plain) for disposal.</summary>
    public async Task<Stream> RunAsync(Stream stream, CancellationToken cancellationToken)
    {
        var acceptor = new ConnectionAcceptor(
            new ConnectionAcceptorOptions
            {
                TlsAvailable = _options.EnableTls,
                PreferStandardRdpSecurity = _options.PreferStandardRdpSecurity,
                ServerKey = _options.EnableStandardRdpSecurity
                    ? new StandardSecurityServerKey(_credentials.LeafKeyParameters, _credentials.ProprietaryCertificate)
                    : null,
            },
            RandomNumberGenerator.Fill);
        var reader = new TpktPacketReader(_options.MaxPduSize, _options.MaxBytesPerConnection);

        while (acceptor.Phase is not (ConnectionPhase.Licensing or ConnectionPhase.Closed))
        {
            byte[]? packet = await reader.ReadPacketAsync(stream, cancellationToken).ConfigureAwait(false);
            if (packet is null)
            {
                Raise(SessionHostEventKind.Closed, $"client closed the connection in phase {acceptor.Phase}");
                return stream;
            }

            AcceptorStep step = acceptor.Step(packet);
            foreach (byte[] output in step.Output)
            {
                await stream.WriteAsync(output, cancellationToken).ConfigureAwait(false);
            }

            if (acceptor.Security is { } security && step.Phase == ConnectionPhase.ConnectInitial)
            {
                Raise(SessionHostEventKind.SecuritySelected, security.ToString());
            }

            if (step.StartTls)
            {
                if (reader.Buffered != 0)
                {
                    throw new InvalidDataException("the client sent data before the tls handshake");
                }

                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificateContext = _credentials.TlsCertificateContext, ClientCertificateRequired = false },
                    cancellationToken).ConfigureAwait(false);
                Raise(SessionHostEventKind.TlsStarted, tls.SslProtocol.ToString());
            }
        }

        if (acceptor.Phase == ConnectionPhase.Closed)
        {
            Raise(SessionHostEventKind.Closed, "the connection sequence ended before licensing");
            return stream;
        }

        ClientConnectionInfo client = acceptor.ConnectionInfo;
        _raise(new SessionHostEvent(_id, SessionHostEventKind.ReachedLicensing, $"{client.UserName}@{client.ClientName} over {client.Security}", client));
        await RunLicensingAsync(acceptor, client, stream, reader, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(acceptor.Disconnect(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return stream;
    }

    private async Task RunLicensingAsync(
        ConnectionAcceptor acceptor,
        ClientConnectionInfo client,
        Stream stream,
        TpktPacketReader reader,
        CancellationToken cancellationToken)
    {
        // Under TLS the license request must carry a certificate (an X.509 chain with the 512-bit leaf, as Windows);
        // under Standard RDP Security it is empty, as Windows sends it, and the client encrypts its premaster secret
        // to the GCC key, which is the same leaf key (rdpele.md section 1).
        byte[] certificate = client.Security == ConnectionSecurity.Tls ? _credentials.X509CertificateChain : [];
        var exchange = new LicensingServerExchange(
            new LicensingServerOptions(certificate, _credentials.LeafKeyParameters),
            RandomNumberGenerator.Fill);
        var output = new ArrayBufferWriter<byte>();
        LicensingStepResult result = exchange.Start(output);
        await SendAsync(acceptor, stream, output, client, cancellationToken).ConfigureAwait(false);

        while (!result.IsFinished)
        {
            output.Clear();
            if (result.NeedsDecision)
            {
                Protocol.Licensing.LicenseDecisionRequest pending = exchange.PendingDecision!;
                var request = new SessionLicenseRequest(
                    pending.Kind,
                    pending.HardwareId,
                    pending.PlatformId,
                    pending.ClientMachineName ?? client.ClientName,
                    pending.ClientUserName ?? client.UserName,
                    pending.PresentedLicense,
                    client);
                LicenseDecision decision = await _licensing.DecideAsync(request, cancellationToken).ConfigureAwait(false);
                _raise(new SessionHostEvent(_id, SessionHostEventKind.Decision, $"{pending.Kind} hwid {pending.HardwareId}: {decision.Kind}", client, request.PresentedCal));
                result = exchange.Decide(decision, output);
                await SendAsync(acceptor, stream, output, client, cancellationToken).ConfigureAwait(false);
                continue;
            }

            byte[]? packet = await reader.ReadPacketAsync(stream, cancellationToken).ConfigureAwait(false);
            byte[]? payload = packet is null ? null : acceptor.UnwrapClientPdu(packet);
            if (payload is null)
            {
                Raise(SessionHostEventKind.Closed, $"client disconnected during licensing in state {exchange.State}");
                return;
            }

            _raise(new SessionHostEvent(_id, SessionHostEventKind.LicensingPduReceived, MessageName(payload), client, payload));
            result = exchange.Step(payload, output);
            await SendAsync(acceptor, stream, output, client, cancellationToken).ConfigureAwait(false);
        }

        string outcome = exchange.FailureReason is null ? exchange.Outcome.ToString() : $"{exchange.Outcome}: {exchange.FailureReason}";
        _raise(new SessionHostEvent(_id, SessionHostEventKind.LicensingFinished, outcome, client));
    }

    private async Task SendAsync(
        ConnectionAcceptor acceptor, Stream stream, ArrayBufferWriter<byte> output, ClientConnectionInfo client, CancellationToken cancellationToken)
    {
        if (output.WrittenCount == 0)
        {
            return;
        }

        byte[] payload = output.WrittenSpan.ToArray();
        await stream.WriteAsync(acceptor.WrapLicensingPdu(payload), cancellationToken).ConfigureAwait(false);
        _raise(new SessionHostEvent(_id, SessionHostEventKind.LicensingPduSent, MessageName(payload), client, payload));
    }

    private static string MessageName(ReadOnlySpan<byte> payload) =>
        payload.IsEmpty ? "empty" : ((LicensingMessageType)payload[0]).ToString();

    private void Raise(SessionHostEventKind kind, string detail) => _raise(new SessionHostEvent(_id, kind, detail));
}
