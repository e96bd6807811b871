using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Learning.TestSupport;

namespace Learning.DeploymentTests;

/// <summary>Paths of the deployment files, read from the repository the tests were built from.</summary>
public static class DeploymentFiles
{
    public static string Root => ScriptedCluster.RepositoryRoot;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Dockerfile => Path("docker", "Dockerfile");

    public static string Compose => Path("docker", "docker-compose.yml");

    public static string EnvExample => Path("docker", ".env.example");

    public static string DockerIgnore => Path(".dockerignore");

    /// <summary><c>KEY=value</c> lines of an env file (comments and blank lines skipped), in file order.</summary>
    public static List<KeyValuePair<string, string>> ReadEnvFile(string path) =>
        File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .Select(parts => new KeyValuePair<string, string>(parts[0].Trim(), parts.Length > 1 ? parts[1] : ""))
            .ToList();
}

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs a program to completion with its output captured; kills it (and its children) on timeout.</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? DeploymentFiles.Root,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}:\n{await stdout}\n{await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => System.IO.Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>
/// Just enough of a compose file's structure, read as text (2-space indentation, as docker/docker-compose.yml is
/// written): the services, each service's top-level keys with their blocks, and <c>&lt;&lt;: *anchor</c> merges
/// of top-level <c>x-</c> anchors in mappings.
/// </summary>
public sealed class ComposeText
{
    private readonly string[] _lines;

    public ComposeText(string text)
    {
        _lines = text.Replace("\r\n", "\n").Split('\n');
        Services = TopLevelBlock("services") is { } services
            ? ChildKeys(services, 2).ToDictionary(k => k.Key, k => new ComposeService(k.Key, k.Value, this))
            : throw new InvalidOperationException("no services: section");
    }

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    public string[] Lines => _lines;

    /// <summary>Lines (indent &gt; 0) under a top-level key, or null.</summary>
    public List<string>? TopLevelBlock(string key)
    {
        var start = Array.FindIndex(_lines, line => Regex.IsMatch(line, $@"^{Regex.Escape(key)}:(\s|$)"));
        return start < 0 ? null : BlockAfter(_lines, start, 0);
    }

    /// <summary>The mapping an anchor (<c>&amp;name</c>) on a top-level key stands for.</summary>
    public List<string> Anchor(string name)
    {
        // Top-level (x-… extension fields) or nested (a service's `environment: &name`).
        var start = Array.FindIndex(_lines, line => Regex.IsMatch(line, $@"^\s*[\w.-]+:\s*&{Regex.Escape(name)}\s*$"));
        return start < 0 ? throw new InvalidOperationException($"anchor &{name} not found") : BlockAfter(_lines, start, Indent(_lines[start]));
    }

    internal static List<string> BlockAfter(IReadOnlyList<string> lines, int start, int indent)
    {
        var block = new List<string>();
        for (var i = start + 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                // Blank lines and comments belong to the block unless they are at or above its indentation and
                // something at that level follows; they never end it on their own.
                if (line.Trim().Length == 0 || Indent(line) > indent)
                {
                    block.Add(line);
                }

                continue;
            }

            if (Indent(line) <= indent)
            {
                break;
            }

            block.Add(line);
        }

        return block;
    }

    /// <summary>Keys at exactly <paramref name="indent"/> spaces, each with the lines of its value block.</summary>
    internal static IEnumerable<KeyValuePair<string, List<string>>> ChildKeys(List<string> block, int indent)
    {
        for (var i = 0; i < block.Count; i++)
        {
            var match = Regex.Match(block[i], $@"^ {{{indent}}}([^\s#:][^:]*?):(?:\s+(.*))?$");
            if (match.Success && Indent(block[i]) == indent)
            {
                var lines = new List<string>();
                // An anchor (`key: &name`) names the block below; it is not the key's value.
                if (match.Groups[2].Success && match.Groups[2].Value.Length > 0 && !match.Groups[2].Value.StartsWith('&'))
                {
                    lines.Add(match.Groups[2].Value);
                }

                lines.AddRange(BlockAfter(block, i, indent));
                yield return new(match.Groups[1].Value, lines);
            }
        }
    }

    internal static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
}

public sealed class ComposeService(string name, List<string> block, ComposeText file)
{
    private readonly Dictionary<string, List<string>> _keys = ComposeText.ChildKeys(block, 4).ToDictionary(k => k.Key, k => k.Value);

    public string Name { get; } = name;

    public IReadOnlyCollection<string> Keys => _keys.Keys;

    public bool Has(string key) => _keys.ContainsKey(key);

    /// <summary>The key's inline value and block lines, comments dropped, joined by newlines.</summary>
    public string Text(string key) =>
        _keys.TryGetValue(key, out var lines)
            ? string.Join('\n', lines.Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))).Trim()
            : throw new KeyNotFoundException($"service {Name} has no '{key}'");

    /// <summary>The list items (<c>- x</c>) of a key's block, unquoted.</summary>
    public List<string> Items(string key) =>
        Text(key).Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- ")).Select(l => Unquote(l[2..].Trim())).ToList();

    /// <summary>
    /// A mapping key's entries (e.g. <c>environment</c>), with <c>&lt;&lt;: *anchor</c> merged in first, as YAML
    /// merge keys do (the service's own entries win).
    /// </summary>
    public Dictionary<string, string> Mapping(string key)
    {
        var result = new Dictionary<string, string>();
        foreach (var line in _keys[key])
        {
            var match = Regex.Match(line, @"^\s*<<:\s*\*([\w-]+)\s*$");
            if (match.Success)
            {
                foreach (var (k, v) in ReadFlatMapping(file.Anchor(match.Groups[1].Value)))
                {
                    result[k] = v;
                }
            }
        }

        foreach (var (k, v) in ReadFlatMapping(_keys[key]))
        {
            result[k] = v;
        }

        return result;
    }

    /// <summary>The text of a <c>- |</c> block-scalar list item of a key (e.g. a script in <c>entrypoint</c>), dedented.</summary>
    public string BlockScalarItem(string key)
    {
        var lines = _keys[key];
        var start = lines.FindIndex(l => l.Trim() == "- |");
        if (start < 0)
        {
            throw new InvalidOperationException($"service {Name}: '{key}' has no '- |' item");
        }

        var itemIndent = ComposeText.Indent(lines[start]);
        var body = lines.Skip(start + 1).TakeWhile(l => l.Trim().Length == 0 || ComposeText.Indent(l) > itemIndent).ToList();
        var indent = body.Where(l => l.Trim().Length > 0).Min(ComposeText.Indent);
        return string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : "")).TrimEnd() + "\n";
    }

    /// <summary><c>depends_on</c> as service → condition.</summary>
    public Dictionary<string, string> DependsOn()
    {
        var lines = _keys.TryGetValue("depends_on", out var found) ? found : [];
        var content = lines.Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        if (content.Count == 0)
        {
            return [];
        }

        var indent = ComposeText.Indent(content[0]);
        return ComposeText.ChildKeys(content, indent).ToDictionary(
            d => d.Key,
            d => d.Value.Select(l => Regex.Match(l, @"condition:\s*(\S+)")).FirstOrDefault(m => m.Success)?.Groups[1].Value ?? "");
    }

    private static IEnumerable<KeyValuePair<string, string>> ReadFlatMapping(List<string> lines)
    {
        var content = lines.Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        if (content.Count == 0)
        {
            yield break;
        }

        var indent = ComposeText.Indent(content[0]);
        foreach (var line in content.Where(l => ComposeText.Indent(l) == indent))
        {
            var match = Regex.Match(line.Trim(), @"^([\w.-]+):\s*(.*)$");
            if (match.Success && match.Groups[1].Value != "<<")
            {
                yield return new(match.Groups[1].Value, Unquote(match.Groups[2].Value.Trim()));
            }
        }
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'') ? value[1..^1] : value;
}

/// <summary>A Dockerfile as instructions grouped by stage (continuation lines joined, comments dropped).</summary>
public sealed class DockerfileText
{
    public DockerfileText(string text)
    {
        var joined = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (current.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current.Append(line[..^1]).Append(' ');
                continue;
            }

            current.Append(line);
            joined.Add(current.ToString().Trim());
            current.Clear();
        }

        DockerStage? stage = null;
        foreach (var line in joined)
        {
            var instruction = line.Split(' ', 2)[0].ToUpperInvariant();
            var arguments = line.Length > instruction.Length ? line[instruction.Length..].Trim() : "";
            if (instruction == "FROM")
            {
                var from = Regex.Match(arguments, @"^(\S+)(?:\s+AS\s+(\S+))?$", RegexOptions.IgnoreCase);
                stage = new DockerStage(from.Groups[2].Success ? from.Groups[2].Value : $"#{Stages.Count}", from.Groups[1].Value);
                Stages.Add(stage);
            }
            else
            {
                (stage ?? throw new InvalidOperationException("instruction before FROM")).Instructions.Add(new(instruction, arguments));
            }
        }
    }

    public List<DockerStage> Stages { get; } = [];

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new KeyNotFoundException($"no stage '{name}' (have: {string.Join(", ", Stages.Select(s => s.Name))})");
}

public sealed record DockerStage(string Name, string From)
{
    public List<DockerInstruction> Instructions { get; } = [];

    public IEnumerable<DockerInstruction> All(string instruction) => Instructions.Where(i => i.Name == instruction);

    public DockerInstruction? Last(string instruction) => Instructions.LastOrDefault(i => i.Name == instruction);
}

public sealed record DockerInstruction(string Name, string Arguments)
{
    /// <summary>COPY/ADD: the --flags, the sources and the destination.</summary>
    public (Dictionary<string, string> Flags, List<string> Sources, string Destination) CopyParts()
    {
        var words = Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var flags = words.TakeWhile(w => w.StartsWith("--"))
            .Select(w => w[2..].Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var rest = words.SkipWhile(w => w.StartsWith("--")).ToList();
        return (flags, rest[..^1], rest[^1]);
    }
}

/// <summary>
/// The .dockerignore rules that matter here: patterns relative to the context root, <c>*</c>, <c>?</c>, <c>**</c>,
/// <c>!</c> exceptions (the last matching line wins), and a matched folder excluding everything under it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    public DockerIgnore(string text)
    {
        Lines = text.Replace("\r\n", "\n").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        _rules = Lines
            .Select(l => l.StartsWith('!') ? (Pattern: l[1..], Exclude: false) : (Pattern: l, Exclude: true))
            .Select(r => (ToRegex(r.Pattern.Trim('/')), r.Exclude))
            .ToList();
    }

    /// <summary>The rule lines as written.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>Whether a context-relative path (with '/') is left out of the build context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var excluded = false;
        var parts = relativePath.Trim('/').Split('/');
        foreach (var (pattern, exclude) in _rules)
        {
            // A folder matching a pattern takes everything below it along.
            for (var n = 1; n <= parts.Length; n++)
            {
                if (pattern.IsMatch(string.Join('/', parts[..n])))
                {
                    excluded = exclude;
                    break;
                }
            }
        }

        return excluded;
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(pattern[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    var c => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(regex.Append('$').ToString());
    }
}
