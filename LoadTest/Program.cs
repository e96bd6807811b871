using System.Globalization;
using Learning.LoadTest.Reporting;
using Learning.LoadTest.ServerCpu;

namespace Learning.LoadTest;

/// <summary>
/// The command line: flags map one to one onto <see cref="LoadTestOptions"/>; the work is <see cref="LoadTester.RunAsync"/>.
/// A named class, not top-level statements, so its <c>Program</c> never clashes with the API's in the tests.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var commandLine = new CommandLine();
        commandLine.Root.SetAction(async (parse, cancel) =>
        {
            CommandLineRun run;
            try
            {
                run = commandLine.Bind(parse);
                ServerCpuMeter.RequireRunning(run.Options.ServerProcessIds);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message} (see --help)");
                return 2;
            }

            if (run.Note is { } note)
            {
                await Console.Error.WriteLineAsync(note);
            }

            var options = run.Options;
            // One pooled handler: connections are reused across users, at most --connections of them, as a proxy in front would.
            using var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = options.Connections,
                UseProxy = false,
                UseCookies = false,
                AllowAutoRedirect = false,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            };
            using var http = new HttpClient(handler) { BaseAddress = run.Url, Timeout = run.Timeout };

            LoadTestResult result;
            try
            {
                result = await LoadTester.RunAsync(options, http, Console.Error, cancel);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }

            ReportPrinter.Print(result, Console.Out);
            if (run.Json is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, ReportPrinter.ToJson(result), CancellationToken.None);
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"JSON written to {file.FullName}"));
            }

            return result.Succeeded ? 0 : 1;
        });

        return await commandLine.Root.Parse(args).InvokeAsync();
    }
}
