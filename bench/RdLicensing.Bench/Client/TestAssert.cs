namespace RdLicensing.Protocol.Tests;

/// <summary>
/// The few xunit assertions the linked protocol test clients use (TestLicensingClient, ServerSetup, TestRdpClient),
/// as plain checks that throw. Declared in the clients' parent namespace, so it is found before any global using.
/// </summary>
internal static class Assert
{
    public static T IsType<T>(object? value) =>
        value is T typed ? typed : throw new InvalidOperationException($"expected {typeof(T).Name}, got {value?.GetType().Name ?? "null"}");

    public static void True(bool condition, string? message = null)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message ?? "check failed");
        }
    }

    public static void Equal<T>(T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new InvalidOperationException($"expected {expected}, got {actual}");
        }
    }
}
