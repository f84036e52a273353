namespace RdLicensing.Registry;

/// <summary>
/// The type of a registry value (winnt.h REG_* numbers). Any other number is a valid type too: regedit writes it as
/// <c>hex(N):</c> and we keep it as it is.
/// </summary>
public enum RegistryValueType : uint
{
    /// <summary>REG_NONE: no defined type; regedit writes <c>hex(0):</c>.</summary>
    None = 0,

    /// <summary>REG_SZ: a NUL-terminated UTF-16LE string; regedit writes <c>"text"</c>.</summary>
    String = 1,

    /// <summary>REG_EXPAND_SZ: a string with %VARIABLES%; regedit writes <c>hex(2):</c>.</summary>
    ExpandString = 2,

    /// <summary>REG_BINARY: bytes; regedit writes <c>hex:</c>.</summary>
    Binary = 3,

    /// <summary>REG_DWORD: 32-bit little-endian; regedit writes <c>dword:xxxxxxxx</c>.</summary>
    DWord = 4,

    /// <summary>REG_DWORD_BIG_ENDIAN; regedit writes <c>hex(5):</c>.</summary>
    DWordBigEndian = 5,

    /// <summary>REG_LINK; regedit writes <c>hex(6):</c>.</summary>
    Link = 6,

    /// <summary>REG_MULTI_SZ: NUL-terminated strings followed by an empty one; regedit writes <c>hex(7):</c>.</summary>
    MultiString = 7,

    /// <summary>REG_RESOURCE_LIST; regedit writes <c>hex(8):</c>.</summary>
    ResourceList = 8,

    /// <summary>REG_FULL_RESOURCE_DESCRIPTOR; regedit writes <c>hex(9):</c>.</summary>
    FullResourceDescriptor = 9,

    /// <summary>REG_RESOURCE_REQUIREMENTS_LIST; regedit writes <c>hex(a):</c>.</summary>
    ResourceRequirementsList = 10,

    /// <summary>REG_QWORD: 64-bit little-endian; regedit writes <c>hex(b):</c>.</summary>
    QWord = 11,
}
