namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.3.2 Client Core Data (TS_UD_CS_CORE), without its TS_UD_HEADER. The fields after
/// imeFileName are optional: each is present only when all before it are, so a null ends the encoding.
/// </summary>
public sealed record ClientCoreData
{
    public const string Name = "TS_UD_CS_CORE";

    public const int FixedSize =
        4 /* version */
        + 2 /* desktopWidth */
        + 2 /* desktopHeight */
        + 2 /* colorDepth */
        + 2 /* SASSequence */
        + 4 /* keyboardLayout */
        + 4 /* clientBuild */
        + 32 /* clientName */
        + 4 /* keyboardType */
        + 4 /* keyboardSubType */
        + 4 /* keyboardFunctionKey */
        + 64; /* imeFileName */

    public uint Version { get; init; }

    public ushort DesktopWidth { get; init; }

    public ushort DesktopHeight { get; init; }

    public ushort ColorDepth { get; init; }

    public ushort SasSequence { get; init; }

    public uint KeyboardLayout { get; init; }

    public uint ClientBuild { get; init; }

    public string ClientName { get; init; } = "";

    public uint KeyboardType { get; init; }

    public uint KeyboardSubType { get; init; }

    public uint KeyboardFunctionKey { get; init; }

    public string ImeFileName { get; init; } = "";

    public ushort? PostBeta2ColorDepth { get; init; }

    public ushort? ClientProductId { get; init; }

    public uint? SerialNumber { get; init; }

    public ushort? HighColorDepth { get; init; }

    public ushort? SupportedColorDepths { get; init; }

    public ushort? EarlyCapabilityFlags { get; init; }

    public string? ClientDigProductId { get; init; }

    public byte? ConnectionType { get; init; }

    public byte? Pad1Octet { get; init; }

    public SecurityProtocols? ServerSelectedProtocol { get; init; }

    public uint? DesktopPhysicalWidth { get; init; }

    public uint? DesktopPhysicalHeight { get; init; }

    public ushort? DesktopOrientation { get; init; }

    public uint? DesktopScaleFactor { get; init; }

    public uint? DeviceScaleFactor { get; init; }

    public int EncodedSize
    {
        get
        {
            int size = FixedSize;
            foreach ((bool present, int fieldSize) in OptionalFields())
            {
                if (!present)
                {
                    break;
                }

                size += fieldSize;
            }

            return size;
        }
    }

    public static ClientCoreData Decode(ref WireReader reader)
    {
        reader.Ensure(FixedSize, Name);
        var data = new ClientCoreData
        {
            Version = reader.ReadU32LE(Name, "version"),
            DesktopWidth = reader.ReadU16LE(Name, "desktopWidth"),
            DesktopHeight = reader.ReadU16LE(Name, "desktopHeight"),
            ColorDepth = reader.ReadU16LE(Name, "colorDepth"),
            SasSequence = reader.ReadU16LE(Name, "SASSequence"),
            KeyboardLayout = reader.ReadU32LE(Name, "keyboardLayout"),
            ClientBuild = reader.ReadU32LE(Name, "clientBuild"),
            ClientName = FixedString.ReadUtf16(ref reader, 32, Name, "clientName"),
            KeyboardType = reader.ReadU32LE(Name, "keyboardType"),
            KeyboardSubType = reader.ReadU32LE(Name, "keyboardSubType"),
            KeyboardFunctionKey = reader.ReadU32LE(Name, "keyboardFunctionKey"),
            ImeFileName = FixedString.ReadUtf16(ref reader, 64, Name, "imeFileName"),
        };

        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { PostBeta2ColorDepth = reader.ReadU16LE(Name, "postBeta2ColorDepth") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { ClientProductId = reader.ReadU16LE(Name, "clientProductId") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { SerialNumber = reader.ReadU32LE(Name, "serialNumber") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { HighColorDepth = reader.ReadU16LE(Name, "highColorDepth") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { SupportedColorDepths = reader.ReadU16LE(Name, "supportedColorDepths") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { EarlyCapabilityFlags = reader.ReadU16LE(Name, "earlyCapabilityFlags") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { ClientDigProductId = FixedString.ReadUtf16(ref reader, 64, Name, "clientDigProductId") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { ConnectionType = reader.ReadU8(Name, "connectionType") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { Pad1Octet = reader.ReadU8(Name, "pad1octet") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { ServerSelectedProtocol = (SecurityProtocols)reader.ReadU32LE(Name, "serverSelectedProtocol") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { DesktopPhysicalWidth = reader.ReadU32LE(Name, "desktopPhysicalWidth") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { DesktopPhysicalHeight = reader.ReadU32LE(Name, "desktopPhysicalHeight") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { DesktopOrientation = reader.ReadU16LE(Name, "desktopOrientation") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { DesktopScaleFactor = reader.ReadU32LE(Name, "desktopScaleFactor") };
        if (reader.IsEmpty)
        {
            return data;
        }

        data = data with { DeviceScaleFactor = reader.ReadU32LE(Name, "deviceScaleFactor") };
        reader.EnsureEnd(Name);
        return data;
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(Version);
        writer.WriteU16LE(DesktopWidth);
        writer.WriteU16LE(DesktopHeight);
        writer.WriteU16LE(ColorDepth);
        writer.WriteU16LE(SasSequence);
        writer.WriteU32LE(KeyboardLayout);
        writer.WriteU32LE(ClientBuild);
        FixedString.WriteUtf16(ref writer, ClientName, 32);
        writer.WriteU32LE(KeyboardType);
        writer.WriteU32LE(KeyboardSubType);
        writer.WriteU32LE(KeyboardFunctionKey);
        FixedString.WriteUtf16(ref writer, ImeFileName, 64);

        if (PostBeta2ColorDepth is not { } postBeta2) return;
        writer.WriteU16LE(postBeta2);
        if (ClientProductId is not { } productId) return;
        writer.WriteU16LE(productId);
        if (SerialNumber is not { } serial) return;
        writer.WriteU32LE(serial);
        if (HighColorDepth is not { } highColorDepth) return;
        writer.WriteU16LE(highColorDepth);
        if (SupportedColorDepths is not { } supported) return;
        writer.WriteU16LE(supported);
        if (EarlyCapabilityFlags is not { } early) return;
        writer.WriteU16LE(early);
        if (ClientDigProductId is not { } digProductId) return;
        FixedString.WriteUtf16(ref writer, digProductId, 64);
        if (ConnectionType is not { } connectionType) return;
        writer.WriteU8(connectionType);
        if (Pad1Octet is not { } pad) return;
        writer.WriteU8(pad);
        if (ServerSelectedProtocol is not { } selected) return;
        writer.WriteU32LE((uint)selected);
        if (DesktopPhysicalWidth is not { } physicalWidth) return;
        writer.WriteU32LE(physicalWidth);
        if (DesktopPhysicalHeight is not { } physicalHeight) return;
        writer.WriteU32LE(physicalHeight);
        if (DesktopOrientation is not { } orientation) return;
        writer.WriteU16LE(orientation);
        if (DesktopScaleFactor is not { } desktopScale) return;
        writer.WriteU32LE(desktopScale);
        if (DeviceScaleFactor is not { } deviceScale) return;
        writer.WriteU32LE(deviceScale);
    }

    private IEnumerable<(bool Present, int Size)> OptionalFields()
    {
        yield return (PostBeta2ColorDepth.HasValue, 2 /* postBeta2ColorDepth */);
        yield return (ClientProductId.HasValue, 2 /* clientProductId */);
        yield return (SerialNumber.HasValue, 4 /* serialNumber */);
        yield return (HighColorDepth.HasValue, 2 /* highColorDepth */);
        yield return (SupportedColorDepths.HasValue, 2 /* supportedColorDepths */);
        yield return (EarlyCapabilityFlags.HasValue, 2 /* earlyCapabilityFlags */);
        yield return (ClientDigProductId is not null, 64 /* clientDigProductId */);
        yield return (ConnectionType.HasValue, 1 /* connectionType */);
        yield return (Pad1Octet.HasValue, 1 /* pad1octet */);
        yield return (ServerSelectedProtocol.HasValue, 4 /* serverSelectedProtocol */);
        yield return (DesktopPhysicalWidth.HasValue, 4 /* desktopPhysicalWidth */);
        yield return (DesktopPhysicalHeight.HasValue, 4 /* desktopPhysicalHeight */);
        yield return (DesktopOrientation.HasValue, 2 /* desktopOrientation */);
        yield return (DesktopScaleFactor.HasValue, 4 /* desktopScaleFactor */);
        yield return (DeviceScaleFactor.HasValue, 4 /* deviceScaleFactor */);
    }
}
