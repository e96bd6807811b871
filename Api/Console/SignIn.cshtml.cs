using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Api.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Learning.Api.OperatorConsole;

/// <summary>Console sign-in: the API's login (same lockout, audit and rate limit), admins only.</summary>
[EnableRateLimiting(SecuritySetup.SignInPolicy)]
public sealed class SignInModel(IGrainFactory grains) : PageModel
{
    [BindProperty(Name = "email")]
    public string? Email { get; set; }

    [BindProperty(Name = "password")]
    public string? Password { get; set; }

    [BindProperty(Name = "return_url", SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            return Refuse(StatusCodes.Status400BadRequest, "Enter your email and password.");
        }

        if (await ConsoleSession.SignInAsync(HttpContext, grains, Email, Password) is { } failure)
        {
            return Refuse(ApiProblem.StatusOf(failure.Code), failure.Message);
        }

        return LocalRedirect(ConsolePaths.SafeReturn(ReturnUrl));
    }

    private PageResult Refuse(int status, string problem)
    {
        Problem = problem;
        Password = null;
        var page = Page();
        page.StatusCode = status;
        return page;
    }
}
