using Learning.Common;
using Orleans.Concurrency;

namespace Learning.Accounts;

/// <summary>
/// One grain per normalized email: it serializes registrations of that email, so exactly one wins
/// however many race across the cluster, and it maps the email to its user.
/// </summary>
[Alias("accounts.IEmailGrain")]
public interface IEmailGrain : IGrainWithStringKey
{
    [Alias("register")]
    Task<Result<UserProfile>> Register(NewUser user, ClientInfo client);

    /// <summary>The user who owns this email, or null when nobody does.</summary>
    [Alias("owner")]
    Task<Guid?> GetOwner();

    /// <summary>
    /// A login for this email while nobody owns it: locked or not, exactly as an account would be, and costing what a
    /// wrong password costs, so the answers do not tell which emails have accounts.
    /// </summary>
    [Alias("fail-unknown-login")]
    Task<UnknownEmailLogin> FailUnknownLogin(string password);

    /// <summary>
    /// Passes a password-reset request to the owner's grain, or records it for an email nobody owns. One-way: the route
    /// answers before anyone has looked the email up, so neither its answer nor its timing tells whether it has an account.
    /// </summary>
    [Alias("request-password-reset"), OneWay]
    Task RequestPasswordReset(ClientInfo client);
}
