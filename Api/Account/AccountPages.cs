using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Api.Security;
using Learning.Common;
using Learning.Email.Codes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using static Learning.Email.MailComposer;

namespace Learning.Api.Account;

/// <summary>
/// The pages mailed links open (<c>GET /account/verify-email?token=…</c>, <c>GET /account/reset-password?token=…</c>). A GET
/// only shows a form holding the token: mail scanners fetch links, so nothing is used until the form is posted, with
/// an antiforgery token, to the same address, which calls the same grain method as the JSON route.
/// </summary>
public static class AccountPages
{
    private const string InvalidLink = "This link is invalid, expired or already used. Ask for a new one from the app.";

    /// <summary>Room for a token, two passwords and the antiforgery token; anything larger is not this form.</summary>
    private static readonly FormOptions FormLimits = new()
    {
        ValueCountLimit = 8,
        KeyLengthLimit = 64,
        ValueLengthLimit = 1024,
        MultipartBodyLengthLimit = 16 * 1024,
    };

    public static IServiceCollection AddAccountPages(this IServiceCollection services) =>
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "learning-account-antiforgery";
            // One antiforgery setup per host: the operator console's forms (under /console) use it too.
            options.Cookie.Path = "/";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Every response already says X-Frame-Options: DENY.
            options.SuppressXFrameOptionsHeader = true;
        });

    public static IEndpointRouteBuilder MapAccountPages(this IEndpointRouteBuilder app)
    {
        // The addresses mailed links open, as the composer writes them.
        app.MapGet(VerifyEmailPath, VerifyEmailForm).ExcludeFromDescription();
        app.MapPost(VerifyEmailPath, VerifyEmail).RequireRateLimiting(SecuritySetup.SignInPolicy).ExcludeFromDescription();
        app.MapGet(ResetPasswordPath, ResetPasswordForm).ExcludeFromDescription();
        app.MapPost(ResetPasswordPath, ResetPassword).RequireRateLimiting(SecuritySetup.SignInPolicy).ExcludeFromDescription();
        return app;
    }

    private static ContentHttpResult VerifyEmailForm(string? token, IAntiforgery antiforgery, HttpContext http) =>
        OneTimeSecrets.TryReadUserId(token, out _)
            ? AccountPage.Render(http, StatusCodes.Status200OK, "Verify your email address",
                AccountPage.Paragraph("Press the button to confirm this is your email address.")
                + Form(http, antiforgery, VerifyEmailPath, token!, "", "Verify my email address"))
            : InvalidLinkPage(http);

    private static async Task<ContentHttpResult> VerifyEmail(IGrainFactory grains, IAntiforgery antiforgery, HttpContext http)
    {
        if (await ReadFormAsync(http, antiforgery) is not { } form)
        {
            return ExpiredFormPage(http);
        }

        var token = form["token"].ToString();
        if (!OneTimeSecrets.TryReadUserId(token, out var userId))
        {
            return InvalidLinkPage(http);
        }

        var result = await grains.GetGrain<IUserGrain>(userId).VerifyEmail(token, http.Client());
        return result.Error is { } failure
            ? FailurePage(http, failure, "Verify your email address")
            : AccountPage.Render(http, StatusCodes.Status200OK, "Email address verified",
                AccountPage.Paragraph("Thank you: your email address is verified. You can close this page."));
    }

    private static ContentHttpResult ResetPasswordForm(string? token, IAntiforgery antiforgery, HttpContext http) =>
        OneTimeSecrets.TryReadUserId(token, out _) ? PasswordForm(http, antiforgery, token!, problem: null, StatusCodes.Status200OK) : InvalidLinkPage(http);

    private static async Task<ContentHttpResult> ResetPassword(IGrainFactory grains, IAntiforgery antiforgery, HttpContext http)
    {
        if (await ReadFormAsync(http, antiforgery) is not { } form)
        {
            return ExpiredFormPage(http);
        }

        var token = form["token"].ToString();
        if (!OneTimeSecrets.TryReadUserId(token, out var userId))
        {
            return InvalidLinkPage(http);
        }

        var password = form["new_password"].ToString();
        if (password != form["confirm_password"].ToString())
        {
            return PasswordForm(http, antiforgery, token, "The two passwords differ; type the same one twice.", StatusCodes.Status400BadRequest);
        }

        var result = await grains.GetGrain<IUserGrain>(userId).ResetPassword(token, password, http.Client());
        return result.Error switch
        {
            null => AccountPage.Render(http, StatusCodes.Status200OK, "Password changed",
                AccountPage.Paragraph("Your password was changed and every device was signed out. Sign in again with the new password.")),
            { Code: ErrorCodes.ValidationError, Errors: { } errors } => PasswordForm(http, antiforgery, token,
                string.Join(" ", errors.Values.SelectMany(messages => messages)), StatusCodes.Status400BadRequest),
            var failure => FailurePage(http, failure, "Choose a new password"),
        };
    }

    private static ContentHttpResult PasswordForm(HttpContext http, IAntiforgery antiforgery, string token, string? problem, int status) =>
        AccountPage.Render(http, status, "Choose a new password",
            (problem is null ? "" : AccountPage.Paragraph(problem, problem: true))
            + AccountPage.Paragraph($"At least {PasswordPolicy.MinimumLength} characters; a few uncommon words make a good one. Every device will be signed out.")
            + Form(http, antiforgery, ResetPasswordPath, token, $"""
                <label for="new_password">New password</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="{PasswordPolicy.MinimumLength}" maxlength="{PasswordPolicy.MaximumLength}">
                <label for="confirm_password">The same password again</label>
                <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required minlength="{PasswordPolicy.MinimumLength}" maxlength="{PasswordPolicy.MaximumLength}">
                """, "Set the new password"));

    private static string Form(HttpContext http, IAntiforgery antiforgery, string action, string token, string fieldsHtml, string button)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"""
            <form method="post" action="{action}">
            {AccountPage.Hidden("token", token)}
            {AccountPage.Hidden(tokens.FormFieldName, tokens.RequestToken!)}
            {fieldsHtml}
            <button type="submit">{AccountPage.Encode(button)}</button>
            </form>
            """;
    }

    /// <summary>The posted form, or null when it is not one of ours (malformed, too large, or without a valid antiforgery token).</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!http.Request.HasFormContentType)
        {
            return null;
        }

        http.Features.Set<IFormFeature>(new FormFeature(http.Request, FormLimits));
        try
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            return await antiforgery.IsRequestValidAsync(http) ? form : null;
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    private static ContentHttpResult FailurePage(HttpContext http, Failure failure, string title) =>
        failure.Code == ErrorCodes.InvalidToken
            ? InvalidLinkPage(http)
            : AccountPage.Render(http, ApiProblem.StatusOf(failure.Code), title, AccountPage.Paragraph(failure.Message, problem: true));

    private static ContentHttpResult InvalidLinkPage(HttpContext http) =>
        AccountPage.Render(http, StatusCodes.Status400BadRequest, "This link does not work", AccountPage.Paragraph(InvalidLink, problem: true));

    private static ContentHttpResult ExpiredFormPage(HttpContext http) =>
        AccountPage.Render(http, StatusCodes.Status400BadRequest, "This form has expired",
            AccountPage.Paragraph("Open the link from your email again and resend the form from there.", problem: true));
}
