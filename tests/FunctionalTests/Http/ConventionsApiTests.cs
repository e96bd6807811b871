using System.Net;
using System.Text;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

/// <summary>The contract's conventions: bad input is always a 4xx problem, never a 5xx, and every response carries the standard headers.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConventionsApiTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Malformed_json_is_400_invalid_json() =>
        (await _api.Send(HttpMethod.Post, "/api/auth/login", ApiClient.JsonContent("{\"email\": \"a@b.c\","))).AssertProblem(HttpStatusCode.BadRequest, "invalid_json");

    [Fact]
    public async Task An_empty_json_body_is_400_invalid_json() =>
        (await _api.Send(HttpMethod.Post, "/api/auth/login", ApiClient.JsonContent(""))).AssertProblem(HttpStatusCode.BadRequest, "invalid_json");

    [Fact]
    public async Task Json_nested_deeper_than_64_levels_is_400_invalid_json()
    {
        var deep = new string('[', 65) + new string(']', 65);
        (await _api.Send(HttpMethod.Post, "/api/auth/login", ApiClient.JsonContent($"{{\"email\": {deep}}}")))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Theory]
    [InlineData("{\"email\": 12, \"password\": \"quiet-otter-lantern\"}", "email")]
    [InlineData("{\"email\": \"a@example.com\", \"password\": true}", "password")]
    [InlineData("{\"email\": \"a@example.com\", \"password\": null}", "password")]
    [InlineData("{\"email\": \"a@example.com\"}", "password")]
    public async Task A_wrong_type_or_a_missing_field_is_400_validation_error_naming_the_field(string body, string field)
    {
        var response = (await _api.Send(HttpMethod.Post, "/api/auth/login", ApiClient.JsonContent(body)))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), response.Body);
    }

    [Fact]
    public async Task A_json_array_instead_of_an_object_is_400_validation_error() =>
        (await _api.Send(HttpMethod.Post, "/api/auth/login", ApiClient.JsonContent("[1, 2]"))).AssertProblem(HttpStatusCode.BadRequest, "validation_error");

    [Fact]
    public async Task A_100_KiB_body_is_413()
    {
        var body = $"{{\"email\": \"a@example.com\", \"password\": \"{new string('x', 100 * 1024)}\"}}";
        (await _api.Send(HttpMethod.Post, "/api/auth/login", ApiClient.JsonContent(body))).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task A_100_KiB_body_without_a_length_is_413_too()
    {
        var body = $"{{\"email\": \"a@example.com\", \"password\": \"{new string('x', 100 * 1024)}\"}}";
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentLength = null;
        (await _api.Send(HttpMethod.Post, "/api/auth/login", content)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task A_text_plain_body_is_415()
    {
        var content = new StringContent("{\"email\": \"a@example.com\", \"password\": \"x\"}", Encoding.UTF8, "text/plain");
        (await _api.Send(HttpMethod.Post, "/api/auth/login", content)).AssertProblem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task A_json_content_type_with_charset_is_accepted()
    {
        var content = new StringContent("{\"email\": \"nobody@example.com\", \"password\": \"whatever-pass\"}", Encoding.UTF8, "application/json");
        (await _api.Send(HttpMethod.Post, "/api/auth/login", content)).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task An_unknown_route_is_404_not_found() =>
        (await _api.Get("/api/nothing-here")).AssertProblem(HttpStatusCode.NotFound, "not_found");

    [Fact]
    public async Task A_wrong_method_is_405_method_not_allowed() =>
        (await _api.Send(HttpMethod.Delete, "/api/courses", null)).AssertProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");

    [Fact]
    public async Task Routes_answer_with_and_without_a_trailing_slash_without_redirecting()
    {
        var email = ApiClient.NewEmail();
        (await _api.Post("/api/auth/register/", new { email, password = ApiClient.Password, full_name = "Slash" })).AssertStatus(HttpStatusCode.Created);
        (await _api.Post("/api/auth/login/", new { email, password = ApiClient.Password })).AssertStatus(HttpStatusCode.OK);
        (await _api.Get("/api/courses/")).AssertStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/courses")]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/auth/me")]
    public async Task Every_response_carries_the_security_headers_and_a_request_id(string path)
    {
        var response = await _api.Get(path);

        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Single(response, "Referrer-Policy"));
        Assert.False(string.IsNullOrEmpty(Single(response, "X-Request-Id")));
    }

    [Fact]
    public async Task A_sane_request_id_from_the_client_is_echoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/courses");
        request.Headers.Add("X-Request-Id", "client-abc.123");
        using var response = await _api.Http.SendAsync(request);
        Assert.Equal("client-abc.123", response.Headers.GetValues("X-Request-Id").Single());
    }

    private static string Single(ApiResponse response, string header) => response.Headers.GetValues(header).Single();
}
