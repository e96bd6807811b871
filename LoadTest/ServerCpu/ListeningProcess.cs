using System.Globalization;

namespace Learning.LoadTest.ServerCpu;

/// <summary>Finds the process listening on a TCP port, from <c>/proc/net/tcp{,6}</c> and the processes' socket links.</summary>
public static class ListeningProcess
{
    private const string Listen = "0A";

    public static int? Find(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (File.Exists(table))
            {
                inodes.UnionWith(ListeningInodes(File.ReadLines(table), port));
            }
        }

        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && inodes.Contains(target[8..^1]))
                    {
                        return pid;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or one that just exited.
            }
        }

        return null;
    }

    /// <summary>
    /// The socket inodes listening on <paramref name="port"/> in a <c>/proc/net/tcp</c> table: columns local
    /// address (hex ip:port), remote address, state (0A = LISTEN), ..., inode (the tenth).
    /// </summary>
    public static IEnumerable<string> ListeningInodes(IEnumerable<string> table, int port)
    {
        foreach (var line in table.Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length < 10 || columns[3] != Listen)
            {
                continue;
            }

            var local = columns[1];
            var colon = local.LastIndexOf(':');
            if (colon > 0 && int.TryParse(local[(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var p) && p == port)
            {
                yield return columns[9];
            }
        }
    }
}
