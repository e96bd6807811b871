using Learning.Api.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Learning.Api.OperatorConsole;

/// <summary>Ends the console session: its refresh family is revoked, as <c>POST /api/auth/logout</c> would.</summary>
public sealed class SignOutModel(IGrainFactory grains) : PageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Home);

    public async Task<IActionResult> OnPostAsync()
    {
        await ConsoleSession.SignOutAsync(HttpContext, grains);
        return Redirect(ConsoleSetup.SignInPath);
    }
}
