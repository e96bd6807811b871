using System.Reflection;
using Learning.Hosting;

namespace Learning.Api.Hosting;

/// <summary>
/// Every configuration problem at once, before anything starts: with <c>--check</c> (like Django's
/// <c>check --deploy</c>) the host stops there, exit code 0 when the configuration is usable and 1 if not; on a normal
/// start a host with problems prints the same list and exits 1 instead of crashing with a stack trace.
/// </summary>
public static class ConfigurationCheck
{
    public const string Argument = "--check";

    /// <summary>An exit code when the host must stop here, or null to go on and start.</summary>
    public static int? Run(WebApplication app, bool checkOnly)
    {
        var problems = ConfigurationProblems.Find(app.Services);
        // Only a process of its own prints and exits; a host run inside another program (the tests'
        // WebApplicationFactory) goes on, and start-up validation throws the problems to its caller.
        if (problems.Count > 0 && (checkOnly || Assembly.GetEntryAssembly() == typeof(ConfigurationCheck).Assembly))
        {
            ConfigurationProblems.Print(Console.Error, app.Environment.EnvironmentName, problems);
            return 1;
        }

        if (checkOnly)
        {
            Console.WriteLine($"Configuration is valid for {app.Environment.EnvironmentName}.");
            return 0;
        }

        return null;
    }

    public static IEnumerable<string> Failures(Exception exception) => ConfigurationProblems.Failures(exception);
}
