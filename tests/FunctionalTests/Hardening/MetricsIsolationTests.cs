using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Hardening;

/// <summary>Hosts in one process (as in these tests) each export their own counters, not each other's.</summary>
// The two hosts are EmbeddedHostTests' (they only list courses there, which moves none of these counters).
[Collection(EmbeddedHostsCollection.Name)]
public sealed class MetricsIsolationTests(EmbeddedHosts hosts)
{
    [Fact]
    public async Task One_hosts_actions_do_not_move_another_hosts_counters()
    {
        var (quiet, busy) = (hosts.First, hosts.Second);
        var quietApi = quiet.CreateApiClient();
        var busyApi = busy.CreateApiClient();
        await PrometheusText.Scrape(quietApi);

        var (session, device) = await busyApi.SignUpWithDevice();
        (await busyApi.StartVideo(session, (await busyApi.LessonIds())[0], device)).AssertStatus(HttpStatusCode.Created);

        var busyText = await PrometheusText.Scrape(busyApi);
        var quietText = await PrometheusText.Scrape(quietApi);
        Assert.Equal(1, PrometheusText.Counter(busyText, "learning_session_starts_total", "started"));
        Assert.Equal(1, PrometheusText.Counter(busyText, "learning_logins_total", "success"));
        // Other test classes start sessions on their own hosts meanwhile; none of it may show here either.
        Assert.Equal(0, PrometheusText.Counter(quietText, "learning_session_starts_total", "started"));
        Assert.Equal(0, PrometheusText.Counter(quietText, "learning_logins_total", "success"));
        Assert.Equal(0, PrometheusText.Counter(quietText, "learning_device_registrations_total", "created"));
    }
}
