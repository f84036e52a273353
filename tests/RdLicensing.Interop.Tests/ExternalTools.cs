namespace RdLicensing.Interop.Tests;

/// <summary>
/// Finds the real clients and Xvfb. A missing tool skips the test on a developer box and fails it under CI=true.
/// </summary>
internal static class ExternalTools
{
    public static string Require(string name)
    {
        string? path = Environment.GetEnvironmentVariable("PATH")?
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return path;
        }

        string message = $"{name} is not installed (Debian: rdesktop, freerdp2-x11, xvfb)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message + "; under CI=true a missing component is a failure");
        }

        Assert.Skip(message);
        return name;
    }
}
