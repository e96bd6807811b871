using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Learning.Hosting;

/// <summary>
/// Every configuration problem of a built host at once, each named by its setting. Start-up validation itself throws
/// an <see cref="AggregateException"/> (a crash with a long stack), or a bare binding error for a value such as
/// <c>Playback:SessionLifetime=abc</c> that hides everything else. Both hosts print this list and exit 1 instead.
/// </summary>
public static partial class ConfigurationProblems
{
    /// <summary>Runs the host's start-up validation (<c>ValidateOnStart</c>) one options class at a time.</summary>
    public static List<string> Find(IServiceProvider services)
    {
        var problems = new List<string>();
        if (StartupValidated(services) is { } validated)
        {
            var check = typeof(ConfigurationProblems).GetMethod(nameof(Check), BindingFlags.NonPublic | BindingFlags.Static)!;
            foreach (var (type, name) in validated)
            {
                problems.AddRange((IEnumerable<string>)check.MakeGenericMethod(type).Invoke(null, [services, name])!);
            }
        }
        else
        {
            // A runtime that keeps its list elsewhere: all at once, as the host would, the failures flattened.
            try
            {
                services.GetService<IStartupValidator>()?.Validate();
            }
            catch (Exception exception)
            {
                problems.AddRange(Failures(exception));
            }
        }

        return problems.Distinct().ToList();
    }

    public static IEnumerable<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException options => options.Failures,
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Failures),
        _ => [exception.Message],
    };

    /// <summary>Binds <paramref name="section"/> into <paramref name="target"/> one setting at a time, listing the values that cannot be read.</summary>
    public static List<string> Bind(IConfigurationSection section, object target)
    {
        var problems = new List<string>();
        foreach (var child in section.GetChildren())
        {
            var only = new ConfigurationBuilder().AddInMemoryCollection(child.AsEnumerable()).Build();
            try
            {
                only.GetSection(section.Path).Bind(target);
            }
            catch (InvalidOperationException exception)
            {
                problems.Add(Describe(exception, child));
            }
        }

        return problems;
    }

    public static void Print(TextWriter output, string environment, IReadOnlyCollection<string> problems)
    {
        output.WriteLine($"Configuration has {problems.Count} problem(s) for {environment}:");
        foreach (var problem in problems)
        {
            output.WriteLine($"  - {problem}");
        }
    }

    /// <summary>
    /// The (options type, name) pairs <c>ValidateOnStart</c> registered, from Microsoft.Extensions.Options' internal
    /// <c>StartupValidatorOptions</c>; null if this runtime keeps them elsewhere.
    /// </summary>
    private static IEnumerable<(Type Type, string Name)>? StartupValidated(IServiceProvider services)
    {
        var optionsType = typeof(IStartupValidator).Assembly.GetType("Microsoft.Extensions.Options.StartupValidatorOptions");
        var validators = optionsType?.GetProperty("_validators", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        var options = optionsType is null ? null : services.GetService(typeof(IOptions<>).MakeGenericType(optionsType));
        var value = options?.GetType().GetProperty(nameof(IOptions<object>.Value))?.GetValue(options);
        return value is null || validators?.GetValue(value) is not System.Collections.IDictionary entries
            ? null
            : entries.Keys.OfType<ValueTuple<Type, string>>().Select(key => (key.Item1, key.Item2)).ToList();
    }

    private static IEnumerable<string> Check<T>(IServiceProvider services, string name)
        where T : class
    {
        try
        {
            services.GetRequiredService<IOptionsFactory<T>>().Create(name);
            return [];
        }
        catch (OptionsValidationException exception)
        {
            return exception.Failures;
        }
        catch (InvalidOperationException exception) when (FailedPath().Match(exception.Message) is { Success: true } match)
        {
            // A value that cannot be read stops binding at the first one: bind setting by setting instead, then
            // validate what could be read, so the other problems of this section are listed too.
            var section = services.GetRequiredService<IConfiguration>().GetSection(match.Groups[1].Value.Split(':')[0]);
            var options = Activator.CreateInstance<T>();
            var problems = Bind(section, options);
            foreach (var validator in services.GetServices<IValidateOptions<T>>())
            {
                if (validator.Validate(name, options) is { Failed: true } result)
                {
                    problems.AddRange(result.Failures);
                }
            }

            return problems;
        }
    }

    private static string Describe(InvalidOperationException exception, IConfigurationSection setting)
    {
        var path = FailedPath().Match(exception.Message) is { Success: true } match ? match.Groups[1].Value : setting.Path;
        var hint = exception.Message.Contains("System.TimeSpan", StringComparison.Ordinal) ? "a TimeSpan such as 00:01:30 or 1.00:00:00"
            : exception.Message.Contains("System.Int32", StringComparison.Ordinal) ? "a whole number"
            : exception.Message.Contains("System.Boolean", StringComparison.Ordinal) ? "true or false"
            : "a value of its type";
        return $"{path} cannot be read as {hint}.";
    }

    [GeneratedRegex("at '([^']+)'")]
    private static partial Regex FailedPath();
}
