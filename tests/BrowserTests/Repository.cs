namespace Learning.BrowserTests;

public static class Repository
{
    /// <summary>The checkout the tests were built in: the folder above the test assembly holding Orleans.Learning.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Orleans.Learning.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"No Orleans.Learning.sln above {AppContext.BaseDirectory}.");
    }
}
