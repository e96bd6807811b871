using Learning.Accounts;
using Learning.Api.Http;

namespace Learning.Api.Auth;

public sealed record RegisterRequest(string? Email, string? Password, string? FullName) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        if (errors.RequireText("email", Email, 254) && !EmailAddress.IsValid(Email!))
        {
            errors.Add("email", "Enter a valid email address.");
        }

        errors.RequireText("password", Password, PasswordPolicy.MaximumLength);
        errors.RequireText("full_name", FullName, 150);
    }
}

public sealed record LoginRequest(string? Email, string? Password) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        errors.RequireText("email", Email, 254);
        errors.RequireText("password", Password, PasswordPolicy.MaximumLength);
    }
}

/// <summary>The body of refresh and logout.</summary>
public sealed record RefreshRequest(string? Refresh) : IRequestBody
{
    public void Validate(RequestErrors errors) => errors.RequireText("refresh", Refresh, 512);
}

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        errors.RequireText("current_password", CurrentPassword, PasswordPolicy.MaximumLength);
        errors.RequireText("new_password", NewPassword, PasswordPolicy.MaximumLength);
    }
}

/// <summary>A token from a mailed verification link.</summary>
public sealed record VerifyEmailRequest(string? Token) : IRequestBody
{
    public void Validate(RequestErrors errors) => errors.RequireText("token", Token, 512);
}

public sealed record RequestPasswordResetRequest(string? Email) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        if (errors.RequireText("email", Email, 254) && !EmailAddress.IsValid(Email!))
        {
            errors.Add("email", "Enter a valid email address.");
        }
    }
}

public sealed record ResetPasswordRequest(string? Token, string? NewPassword) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        errors.RequireText("token", Token, 512);
        errors.RequireText("new_password", NewPassword, PasswordPolicy.MaximumLength);
    }
}
