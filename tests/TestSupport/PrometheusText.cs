using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Learning.TestSupport;

/// <summary>Reads counters out of the Prometheus text a host serves on <c>/metrics</c>.</summary>
public static class PrometheusText
{
    public static async Task<string> Scrape(ApiClient api) => (await api.Get("/metrics")).AssertStatus(HttpStatusCode.OK).Body;

    /// <summary>The value of a counter's series with this <c>outcome</c> tag; 0 when the series is absent.</summary>
    public static double Counter(string metrics, string name, string outcome)
    {
        var match = Regex.Match(metrics, $@"^{name}\{{[^}}]*outcome=""{outcome}""[^}}]*\}} (\S+)", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The sum of every series of a counter, whatever its tags; 0 when it has none.</summary>
    public static double Counter(string metrics, string name) =>
        Regex.Matches(metrics, $@"^{name}(\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
}
