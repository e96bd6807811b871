using Learning.Access;
using Learning.Accounts;
using Learning.Administration;
using Learning.Api.Access;
using Learning.Api.Administration;
using Learning.Api.Http;
using Learning.Audit;
using Learning.ReadModel;
using Microsoft.AspNetCore.Mvc;

namespace Learning.Api.OperatorConsole;

/// <summary>
/// One user as <c>GET /api/admin/users/{id}</c> shows them, with their latest audit entries, and the operator's
/// commands on them: each the same grain call (or <see cref="OperatorCommands"/> call) as its REST route.
/// </summary>
public sealed class UserDetailModel(IGrainFactory grains, IAuditQuery audit, OperatorCommands commands) : ConsolePageModel
{
    /// <summary>The trail shown here; the audit page has the rest.</summary>
    private const int TrailLength = 20;

    public UserDetail Detail { get; private set; } = null!;

    public AccessView Access { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> Trail { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var user = grains.GetGrain<IUserGrain>(id);
        var detail = await user.GetDetail();
        var access = await user.GetAccess();
        if (detail.Value is null || access.Value is null)
        {
            return NotFound();
        }

        Detail = detail.Value;
        Access = access.Value;
        Trail = (await audit.QueryAsync(new AuditQuery(null, id, null, null, null, TrailLength, null), HttpContext.RequestAborted)).Results;
        return Page();
    }

    public async Task<IActionResult> OnPostSignOutAsync(Guid id) =>
        After(await grains.GetGrain<IUserGrain>(id).SignOutEverywhere(Admin.UserId, Admin.Client), "Signed out everywhere.", Back(id));

    public async Task<IActionResult> OnPostDisableAsync(Guid id) =>
        After(await grains.GetGrain<IUserGrain>(id).Disable(Admin.UserId, Admin.Client), "User disabled and signed out everywhere.", Back(id));

    public async Task<IActionResult> OnPostEnableAsync(Guid id) =>
        After(await grains.GetGrain<IUserGrain>(id).Enable(Admin.UserId, Admin.Client), "User enabled.", Back(id));

    public async Task<IActionResult> OnPostUnlockAsync(Guid id) =>
        After(await grains.GetGrain<IUserGrain>(id).Unlock(Admin.UserId, Admin.Client), "Lockout cleared.", Back(id));

    public async Task<IActionResult> OnPostGrantAsync(Guid id, string? until, string? reason)
    {
        var request = new AccessEndpoints.GrantRequest(until, reason);
        var errors = new RequestErrors();
        request.Validate(errors);
        if (errors.Any)
        {
            return Refused(Describe(errors), Back(id));
        }

        var result = await grains.GetGrain<IUserGrain>(id).AddGrant(new NewGrant(request.UntilTime!.Value, request.Reason!), Admin.UserId, Admin.Client);
        return After(result, "Access granted.", Back(id));
    }

    public async Task<IActionResult> OnPostRevokeGrantAsync(Guid id, Guid grantId) =>
        After(await grains.GetGrain<IUserGrain>(id).RevokeGrant(grantId, Admin.UserId, Admin.Client), "Grant revoked.", Back(id));

    public async Task<IActionResult> OnPostEndSessionAsync(Guid id, Guid sessionId) =>
        After(await commands.EndSessionAsync(sessionId, Admin, HttpContext.RequestAborted), "Session ended.", Back(id));

    public async Task<IActionResult> OnPostDeactivateDeviceAsync(Guid id, Guid deviceId) =>
        After(await commands.DeactivateDeviceAsync(deviceId, Admin, HttpContext.RequestAborted), "Device deactivated.", Back(id));

    public async Task<IActionResult> OnPostActivateDeviceAsync(Guid id, Guid deviceId) =>
        After(await commands.ActivateDeviceAsync(deviceId, Admin, HttpContext.RequestAborted), "Device activated.", Back(id));

    private static string Back(Guid id) => $"{ConsolePaths.Users}/{id}";
}
