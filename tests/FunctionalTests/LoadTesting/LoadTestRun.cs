using Learning.LoadTest;
using Learning.LoadTest.Reporting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace Learning.FunctionalTests.LoadTesting;

/// <summary>Runs the load tester's core against an in-process API and shows its progress and report in the test output.</summary>
internal static class LoadTestRun
{
    public static async Task<LoadTestResult> RunAsync(WebApplicationFactory<Program> factory, LoadTestOptions options, ITestOutputHelper output)
    {
        using var client = factory.CreateClient();
        var progress = new StringWriter();
        var result = await LoadTester.RunAsync(options, client, progress);
        var report = new StringWriter();
        ReportPrinter.Print(result, report);
        output.WriteLine(progress.ToString());
        output.WriteLine(report.ToString());
        return result;
    }
}
