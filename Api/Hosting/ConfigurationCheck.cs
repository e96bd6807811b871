using Microsoft.Extensions.Options;

namespace Learning.Api.Hosting;

/// <summary>
/// <c>--check</c>: runs the start-up validation of every options class and reports all problems at once, without
/// starting anything (like Django's <c>check --deploy</c>). Exit code 0 when the configuration is usable, 1 if not.
/// </summary>
public static class ConfigurationCheck
{
    public const string Argument = "--check";

    public static int Run(WebApplication app)
    {
        var problems = new List<string>();
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception exception)
        {
            problems.AddRange(Failures(exception));
        }

        if (problems.Count == 0)
        {
            Console.WriteLine($"Configuration is valid for {app.Environment.EnvironmentName}.");
            return 0;
        }

        Console.Error.WriteLine($"Configuration has {problems.Count} problem(s) for {app.Environment.EnvironmentName}:");
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"  - {problem}");
        }

        return 1;
    }

    public static IEnumerable<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException options => options.Failures,
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Failures),
        _ => [exception.Message],
    };
}
