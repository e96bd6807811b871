namespace Learning.Accounts;

/// <summary>
/// Everything one user owns, behind one grain so that every change to it is serialized cluster-wide.
/// Keyed by the user's id. Features add their part as a base interface.
/// </summary>
[Alias("accounts.IUserGrain")]
public interface IUserGrain : IUserAccountGrain, Devices.IUserDevicesGrain, Playback.IUserPlaybackGrain, Administration.IUserAdministrationGrain,
    Access.IUserAccessGrain, Access.IUserBillingGrain, Progress.IUserProgressGrain
{
}
