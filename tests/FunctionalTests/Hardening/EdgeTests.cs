using System.Net;
using Learning.TestSupport;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Learning.FunctionalTests.Hardening;

/// <summary>What the public edge gives away: no Server header, and /metrics only where operators put it.</summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeTests(EdgeApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public void Kestrel_sends_no_server_header() =>
        Assert.False(factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AddServerHeader);

    [Fact]
    public async Task Metrics_answer_only_on_the_internal_host_and_only_to_admins()
    {
        var student = await _api.SignUp();
        var admin = Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));

        Assert.Equal(HttpStatusCode.NotFound, (await Metrics("localhost", admin.Access)).Status);
        (await Metrics(EdgeApiFactory.MetricsHost, null)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await Metrics(EdgeApiFactory.MetricsHost, student.Access)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        var forAdmin = (await Metrics(EdgeApiFactory.MetricsHost, admin.Access)).AssertStatus(HttpStatusCode.OK);
        Assert.Contains("learning_logins_total", forAdmin.Body);
    }

    private async Task<ApiResponse> Metrics(string host, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = host;
        if (accessToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await ApiResponse.Read(await _api.Http.SendAsync(request));
    }
}
