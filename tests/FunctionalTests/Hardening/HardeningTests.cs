using System.Net;
using System.Text.RegularExpressions;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Hardening;

[Collection(ApiCollection.Name)]
public sealed class HardeningTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Api_responses_forbid_rendering_and_browser_features()
    {
        var response = await _api.Get("/api/courses");

        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single());
    }

    [Theory]
    [InlineData("http://localhost:3000", true)]
    [InlineData("https://evil.example.com", false)]
    public async Task Cors_allows_configured_and_local_origins_only(string origin, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/auth/login");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await _api.Http.SendAsync(preflight);

        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
    }

    [Fact]
    public async Task X_forwarded_for_from_a_client_that_is_no_configured_proxy_is_ignored()
    {
        var email = ApiClient.NewEmail();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register")
        {
            Content = ApiClient.JsonContent(new { email, password = ApiClient.Password, full_name = "Spoofer" }),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        (await ApiResponse.Read(await _api.Http.SendAsync(request))).AssertStatus(HttpStatusCode.Created);
        var session = Session.From(email, await _api.Login(email));

        var entries = (await _api.Get("/api/audit-logs", session.Access)).Json.GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(["login", "user_register"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.NotEqual("203.0.113.9", e.GetProperty("ip_address").GetString()));
    }

    [Fact]
    public async Task Metrics_show_the_business_counters_moving()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var before = Counter(await Metrics(), "learning_session_starts_total", "started");

        await _api.StartVideo(session, (await _api.LessonIds())[0], device);

        var text = await Metrics();
        Assert.Equal(before + 1, Counter(text, "learning_session_starts_total", "started"));
        Assert.True(Counter(text, "learning_logins_total", "success") >= 1);
        Assert.True(Counter(text, "learning_device_registrations_total", "created") >= 1);
    }

    [Fact]
    public async Task The_dashboard_is_for_admins_only()
    {
        var student = await _api.SignUp();
        var admin = Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Get("/dashboard/")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.Get("/dashboard/", student.Access)).Status);
        var forAdmin = await _api.Get("/dashboard/", admin.Access);
        Assert.True(forAdmin.Status == HttpStatusCode.OK, $"{forAdmin.Status} {forAdmin.Headers} {forAdmin.Body[..Math.Min(300, forAdmin.Body.Length)]}");
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route_with_its_errors()
    {
        var document = (await _api.Get("/openapi/v1.json")).AssertStatus(HttpStatusCode.OK).Json;
        var paths = document.GetProperty("paths");

        foreach (var route in new[]
                 {
                     "/api/auth/register", "/api/auth/login", "/api/auth/refresh", "/api/auth/logout", "/api/auth/me", "/api/auth/password",
                     "/api/courses", "/api/courses/{id}", "/api/lessons/{id}", "/api/devices/register", "/api/devices/transfer", "/api/devices",
                     "/api/devices/{id}/revoke", "/api/video/start", "/api/video/heartbeat", "/api/video/end", "/media/lessons/{lessonId}",
                     "/api/audit-logs", "/api/admin/users", "/api/admin/devices", "/api/admin/sessions",
                     "/api/admin/users/{id}/sign-out", "/api/admin/devices/{id}/deactivate", "/health/live",
                 })
        {
            Assert.True(paths.TryGetProperty(route, out _), $"{route} is missing from the OpenAPI document");
        }

        foreach (var (route, operations) in paths.EnumerateObject().Select(p => (p.Name, p.Value)))
        {
            foreach (var operation in operations.EnumerateObject().Where(o => route.StartsWith("/api") || route.StartsWith("/media")))
            {
                var statuses = operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                Assert.True(statuses.Any(s => s.StartsWith('2')), $"{operation.Name} {route} lists no success response");
            }
        }

        var register = paths.GetProperty("/api/devices/register").GetProperty("post").GetProperty("responses");
        Assert.All(new[] { "200", "201", "400", "401", "409" }, status => Assert.True(register.TryGetProperty(status, out _), status));
        var start = paths.GetProperty("/api/video/start").GetProperty("post");
        Assert.Contains("409 session_exists", start.GetProperty("description").GetString());
        Assert.True(start.GetProperty("responses").TryGetProperty("403", out _));
    }

    [Fact]
    public async Task Docs_serve_the_api_reference_page_over_this_services_openapi_document()
    {
        var docs = (await _api.Get("/docs")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("text/html", docs.ContentType);
        Assert.Contains("<title>Orleans.Learning API</title>", docs.Body);
        // The page is Scalar's: its script, configured with the one OpenAPI document this service publishes.
        Assert.Contains("<script src=\"scalar.js\"></script>", docs.Body);
        var sources = Regex.Matches(docs.Body, "\"url\":\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["openapi/v1.json"], sources);
        // ... and both resolve where a browser looks for them: the page answers at /docs/ (links are relative to it),
        // the script under it, the document at the site root.
        using (var page = await _api.Http.GetAsync("/docs"))
        {
            Assert.Equal("/docs/", page.RequestMessage!.RequestUri!.AbsolutePath);
        }

        (await _api.Get("/docs/scalar.js")).AssertStatus(HttpStatusCode.OK);
        var document = (await _api.Get($"/{sources[0]}")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/video/start", out _));
    }

    private Task<string> Metrics() => PrometheusText.Scrape(_api);

    private static double Counter(string metrics, string name, string outcome) => PrometheusText.Counter(metrics, name, outcome);
}

/// <summary>X-Forwarded-For is believed from a configured proxy, and only from it: the audit records the client behind it.</summary>
[Collection(EdgeCollection.Name)]
public sealed class TrustedProxyTests(EdgeApiFactory factory)
{
    private const string Proxy = EdgeApiFactory.Proxy;

    [Theory]
    [InlineData(Proxy, "203.0.113.50", "203.0.113.50")]
    [InlineData("10.0.0.2", "203.0.113.51", "10.0.0.2")]
    public async Task The_audit_records_the_forwarded_client_only_when_a_configured_proxy_sends_it(string peer, string forwardedFor, string recorded)
    {
        var api = factory.CreateApiClient(peer);
        api.Http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);

        var session = await api.SignUp();

        var entries = (await api.Get("/api/audit-logs", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["login", "user_register"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(recorded, e.GetProperty("ip_address").GetString()));
    }
}
