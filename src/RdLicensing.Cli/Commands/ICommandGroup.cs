using System.CommandLine;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// A verb group of <c>rdlic</c> (e.g. <c>keypack install|list|remove</c>). To add one: write a sealed class implementing
/// this in Commands/, and add one line to <see cref="CommandGroups.All"/>.
/// </summary>
internal interface ICommandGroup
{
    /// <summary>Builds the group's command with its sub-verbs; actions use <paramref name="cli"/> to reach the server and print.</summary>
    Command Build(CliContext cli);
}
