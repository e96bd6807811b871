using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

/// <summary>
/// Every authenticated route refuses a revoked family's access token at once, admin rights come from the account as
/// it is now, and a refused caller hears 401 before anything about their request body.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RevocationTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task A_signed_out_admins_token_is_refused_by_admin_audit_and_dashboard_routes()
    {
        var admin = await AdminAsync();
        var student = await _api.SignUp();
        var studentId = await UserIdAsync(student);
        (await _api.Get("/api/admin/users", admin.Access)).AssertStatus(HttpStatusCode.OK);

        (await _api.Post("/api/auth/logout", new { refresh = admin.Refresh }, admin.Access)).AssertStatus(HttpStatusCode.NoContent);

        (await _api.Get("/api/admin/users", admin.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Get("/api/audit-logs", admin.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Post($"/api/admin/users/{studentId}/sign-out", null, admin.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Get("/dashboard/", admin.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Get("/api/auth/me", student.Access)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_claiming_admin_for_an_account_that_is_not_one_is_forbidden()
    {
        var other = await _api.SignUp();
        var student = await _api.SignUp();
        var claimsAdmin = TokenMinter.Mint(TokenMinter.ClaimsOf(student, role: "admin"), LearningApiFactory.SigningKey,
            factory.Clock.GetUtcNow(), factory.Clock.GetUtcNow().AddHours(1));

        (await _api.Get("/api/admin/users", claimsAdmin)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await _api.Get("/dashboard/", claimsAdmin)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        var othersTrail = (await _api.Get($"/api/audit-logs?user_id={await UserIdAsync(other)}", claimsAdmin)).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(othersTrail.Json.GetProperty("results").EnumerateArray());
    }

    [Theory]
    [InlineData("/api/devices/register", "{}")]
    [InlineData("/api/video/heartbeat", "{\"session_token\": 12, \"current_time\": \"soon\"}")]
    [InlineData("/api/auth/password", "not json")]
    public async Task A_revoked_token_with_an_invalid_body_is_401_not_400(string path, string body)
    {
        var signedOut = await _api.SignUp();
        var live = Session.From(signedOut.Email, await _api.Login(signedOut.Email));
        (await _api.Post("/api/auth/logout", new { refresh = signedOut.Refresh }, live.Access)).AssertStatus(HttpStatusCode.NoContent);

        (await _api.Post(path, body, signedOut.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Post(path, body)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await _api.Post(path, body, live.Access)).AssertStatus(HttpStatusCode.BadRequest);
    }

    private async Task<Session> AdminAsync() => Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));

    private async Task<string> UserIdAsync(Session session) =>
        (await _api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("id").GetString()!;
}
