using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Learning.Api.OperatorConsole;

/// <summary>The console's front door opens on the users page, where most operator work starts.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Users);
}
