using System.Net;
using System.Text;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

/// <summary>Every bad input of the email and confirmation routes is its 4xx, never a 5xx.</summary>
[Collection(ConfirmingCollection.Name)]
public sealed class AccountInputTests(ConfirmingApiFactory factory)
{
    private const string WellFormedToken = "0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private readonly ApiClient _api = factory.CreateApiClient();

    public static TheoryData<string, string, int, string> BadBodies => new()
    {
        { "/api/auth/verify-email", "{", 400, "invalid_json" },
        { "/api/auth/verify-email", "[]", 400, "validation_error" },
        { "/api/auth/verify-email", "{}", 400, "validation_error" },
        { "/api/auth/verify-email", "{\"token\": 12}", 400, "validation_error" },
        { "/api/auth/verify-email", "{\"token\": \"\"}", 400, "validation_error" },
        { "/api/auth/verify-email", "{\"token\": \"nonsense\"}", 400, "invalid_token" },
        { "/api/auth/verify-email", "{\"token\": \"0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!\"}", 400, "invalid_token" },
        { "/api/auth/verify-email", $"{{\"token\": \"{WellFormedToken}\"}}", 400, "invalid_token" },
        { "/api/auth/verify-email", $"{{\"token\": \"{new string('a', 600)}\"}}", 400, "validation_error" },
        { "/api/auth/password-reset/request", "{}", 400, "validation_error" },
        { "/api/auth/password-reset/request", "{\"email\": \"not-an-email\"}", 400, "validation_error" },
        { "/api/auth/password-reset/request", "{\"email\": null}", 400, "validation_error" },
        { "/api/auth/password-reset/request", "{\"email\": [\"a@example.com\"]}", 400, "validation_error" },
        { "/api/auth/password-reset/request", "\"a@example.com\"", 400, "validation_error" },
        { "/api/auth/password-reset", "{\"token\": \"nonsense\"}", 400, "validation_error" },
        { "/api/auth/password-reset", "{\"token\": \"nonsense\", \"new_password\": \"velvet-harbour-quince-49\"}", 400, "invalid_token" },
        { "/api/auth/password-reset", $"{{\"token\": \"{WellFormedToken}\", \"new_password\": \"velvet-harbour-quince-49\"}}", 400, "invalid_token" },
        { "/api/auth/password-reset", $"{{\"token\": \"{WellFormedToken}\", \"new_password\": 5}}", 400, "validation_error" },
        { "/api/auth/password-reset", $"{{\"token\": \"{WellFormedToken}\", \"new_password\": \"{new string('p', 300)}\"}}", 400, "validation_error" },
    };

    public static TheoryData<string, string, int, string> BadSignedInBodies => new()
    {
        { "/api/devices/confirm", "{", 400, "invalid_json" },
        { "/api/devices/confirm", "{}", 400, "validation_error" },
        { "/api/devices/confirm", "{\"device_id\": \"laptop\"}", 400, "validation_error" },
        { "/api/devices/confirm", "{\"device_id\": \"laptop\", \"code\": 123456}", 400, "validation_error" },
        { "/api/devices/confirm", "{\"device_id\": \"laptop\", \"code\": \"12345\"}", 400, "validation_error" },
        { "/api/devices/confirm", "{\"device_id\": \"laptop\", \"code\": \"12a456\"}", 400, "validation_error" },
        { "/api/devices/confirm", "{\"device_id\": \"laptop\", \"code\": \"1234567\"}", 400, "validation_error" },
        { "/api/devices/confirm", "{\"device_id\": \" padded \", \"code\": \"123456\"}", 400, "validation_error" },
        { "/api/devices/confirm", "{\"device_id\": \"laptop\", \"code\": \"123456\"}", 404, "confirmation_not_found" },
        { "/api/devices/confirm/resend", "{}", 400, "validation_error" },
        { "/api/devices/confirm/resend", "{\"device_id\": 1}", 400, "validation_error" },
        { "/api/devices/confirm/resend", $"{{\"device_id\": \"{new string('d', 129)}\"}}", 400, "validation_error" },
        { "/api/devices/confirm/resend", "{\"device_id\": \"laptop\"}", 404, "confirmation_not_found" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_of_the_anonymous_routes_get_their_4xx(string path, string body, int status, string error)
    {
        var answer = await _api.Send(HttpMethod.Post, path, ApiClient.JsonContent(body));

        answer.AssertProblem((HttpStatusCode)status, error);
    }

    [Theory]
    [MemberData(nameof(BadSignedInBodies))]
    public async Task Bad_bodies_of_the_signed_in_routes_get_their_4xx(string path, string body, int status, string error)
    {
        var session = await _api.SignUp();

        var answer = await _api.Send(HttpMethod.Post, path, ApiClient.JsonContent(body), session.Access);

        answer.AssertProblem((HttpStatusCode)status, error);
    }

    [Theory]
    [InlineData("/api/auth/verify-email")]
    [InlineData("/api/auth/password-reset/request")]
    [InlineData("/api/auth/password-reset")]
    [InlineData("/api/devices/confirm")]
    [InlineData("/api/devices/confirm/resend")]
    public async Task Wrong_content_types_oversized_bodies_and_wrong_methods_get_their_4xx(string path)
    {
        var session = await _api.SignUp();

        (await _api.Send(HttpMethod.Post, path, new StringContent("token=x", Encoding.UTF8, "application/x-www-form-urlencoded"), session.Access))
            .AssertProblem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        (await _api.Send(HttpMethod.Post, path, ApiClient.JsonContent($"{{\"token\": \"{new string('x', 70_000)}\"}}"), session.Access))
            .AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        (await _api.Send(HttpMethod.Get, path, null, session.Access)).AssertProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        (await _api.Send(HttpMethod.Post, path + "/", ApiClient.JsonContent("{}"), session.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }

    [Theory]
    [InlineData("/api/auth/verify-email/request")]
    [InlineData("/api/devices/confirm")]
    [InlineData("/api/devices/confirm/resend")]
    public async Task Signed_in_routes_refuse_anonymous_callers(string path) =>
        (await _api.Post(path, new { device_id = "laptop", code = "123456" })).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");

    [Theory]
    [InlineData("/account/verify-email")]
    [InlineData("/account/verify-email?token=")]
    [InlineData("/account/verify-email?token=nonsense")]
    [InlineData("/account/reset-password?token=%00%FF")]
    [InlineData("/account/reset-password?token=" + WellFormedToken + "&token=" + WellFormedToken)]
    public async Task Pages_opened_without_a_usable_token_say_so_with_400(string path)
    {
        using var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/account/verify-email", "application/x-www-form-urlencoded", "token=" + WellFormedToken)]
    [InlineData("/account/reset-password", "application/x-www-form-urlencoded", "token=x&new_password=y&confirm_password=y")]
    [InlineData("/account/reset-password", "application/json", "{\"token\": \"x\"}")]
    [InlineData("/account/reset-password", "application/x-www-form-urlencoded", "%%%=&&&")]
    [InlineData("/account/verify-email", "multipart/form-data; boundary=x", "--x\r\nbroken")]
    public async Task Page_posts_that_are_not_our_form_are_400_and_use_nothing(string path, string contentType, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await factory.CreateClient().PostAsync(path, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_page_post_far_over_the_form_limits_is_refused_without_a_5xx()
    {
        var fields = Enumerable.Range(0, 50).Select(i => KeyValuePair.Create($"field{i}", new string('v', 2000)));

        using var response = await factory.CreateClient().PostAsync("/account/reset-password", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
