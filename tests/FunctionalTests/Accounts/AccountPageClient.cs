using System.Net;
using System.Text.RegularExpressions;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

/// <summary>A browser on the account pages: opens a mailed link, reads the form, posts it back with its cookies.</summary>
public sealed partial class AccountPageClient(HttpClient http)
{
    public async Task<Page> Open(Uri link)
    {
        using var response = await http.GetAsync(link.PathAndQuery);
        return await Page.Read(response);
    }

    /// <summary>Posts the page's form: its hidden fields (the token, the antiforgery token) plus <paramref name="fields"/>.</summary>
    public async Task<Page> Submit(Page page, params (string Name, string Value)[] fields)
    {
        var form = page.HiddenFields.Concat(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        using var response = await http.PostAsync(page.FormAction, new FormUrlEncodedContent(form));
        return await Page.Read(response);
    }

    public sealed partial record Page(HttpStatusCode Status, string? ContentType, string Html, string? ContentSecurityPolicy)
    {
        public string FormAction => FormActionPattern().Match(Html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"The page has no form: {Html}");

        public IReadOnlyList<KeyValuePair<string, string>> HiddenFields =>
            HiddenPattern().Matches(Html)
                .Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))
                .ToList();

        public static async Task<Page> Read(HttpResponseMessage response) => new(
            response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp.Single() : null);

        public Page AssertStatus(HttpStatusCode expected)
        {
            Assert.True(Status == expected, $"Expected {(int)expected} but got {(int)Status}: {Html}");
            Assert.Equal("text/html", ContentType);
            return this;
        }

        [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
        private static partial Regex FormActionPattern();

        [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
        private static partial Regex HiddenPattern();
    }
}

public static class AccountApi
{
    public static Task<ApiResponse> RequestReset(this ApiClient api, string email) =>
        api.Post("/api/auth/password-reset/request", new { email });

    public static Task<ApiResponse> Reset(this ApiClient api, string token, string newPassword) =>
        api.Post("/api/auth/password-reset", new { token, new_password = newPassword });

    public static Task<ApiResponse> VerifyEmail(this ApiClient api, string token) => api.Post("/api/auth/verify-email", new { token });

    public static Task<ApiResponse> ConfirmDevice(this ApiClient api, Session session, string deviceId, string code) =>
        api.Post("/api/devices/confirm", new { device_id = deviceId, code }, session.Access);

    public static Task<ApiResponse> ResendCode(this ApiClient api, Session session, string deviceId) =>
        api.Post("/api/devices/confirm/resend", new { device_id = deviceId }, session.Access);

    public static async Task<Guid> UserId(this ApiClient api, Session session) =>
        Guid.Parse((await api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("id").GetString()!);
}
