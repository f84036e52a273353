namespace RdLicensing.Protocol.Connection;

/// <summary>
/// What one <see cref="ConnectionAcceptor.Step"/> produced: complete TPKT packets to send in order, whether the
/// driver must start TLS (server side) right after sending them, and the phase reached.
/// </summary>
public sealed record AcceptorStep(IReadOnlyList<byte[]> Output, bool StartTls, ConnectionPhase Phase);
