using Learning.Common;

namespace Learning.Accounts;

/// <summary>
/// The front door for anonymous account calls (register, login, refresh): it finds the user's grain from an
/// email or a refresh token and does the expensive hashing outside any user's turn.
/// </summary>
[Alias("accounts.IAccountsGrain")]
public interface IAccountsGrain : IGrainWithIntegerKey
{
    [Alias("register")]
    Task<Result<UserProfile>> Register(RegisterAccount command, ClientInfo client);

    [Alias("login")]
    Task<Result<TokenGrant>> Login(string email, string password, ClientInfo client);

    [Alias("refresh")]
    Task<Result<TokenGrant>> Refresh(string refreshToken, ClientInfo client);
}
