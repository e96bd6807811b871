using Learning.Accounts;
using Learning.Administration;
using Learning.Api.Administration;
using Learning.Api.Http;
using Learning.Devices;
using Learning.ReadModel;
using Microsoft.AspNetCore.Mvc;

namespace Learning.Api.OperatorConsole;

/// <summary>
/// Devices across users with the filters of <c>GET /api/admin/devices</c>; bulk deactivation asks for confirmation and
/// a reason first, then runs exactly as <c>POST /api/admin/devices/deactivate</c>; activation as
/// <c>POST /api/admin/devices/{id}/activate</c>.
/// </summary>
public sealed class DevicesModel(IOperatorQueries queries, IGrainFactory grains, OperatorCommands commands) : ConsolePageModel
{
    public IReadOnlyList<DeviceRow> Devices { get; private set; } = [];

    public string? Next { get; private set; }

    /// <summary>The confirmation step: the selected devices, with their owners.</summary>
    public IReadOnlyList<(Device Device, string OwnerEmail)>? Confirming { get; private set; }

    /// <summary>Where to go back to after a command: this listing with its filters.</summary>
    public string Back { get; private set; } = ConsolePaths.Devices;

    public string? Filter(string name) => Request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    public async Task OnGetAsync()
    {
        var page = await queries.ListDevicesAsync(AdminFilters.Devices(new QueryReader(Request)), HttpContext.RequestAborted);
        Devices = page.Results;
        Next = ConsolePaths.NextPage(Request, QueryReader.EncodeCursor(page.Next));
        Back = Request.Path + Request.QueryString;
    }

    public async Task<IActionResult> OnPostConfirmAsync(List<Guid> ids, string? back)
    {
        Back = ConsolePaths.SafeReturn(back, ConsolePaths.Devices);
        if (ids.Count == 0)
        {
            return Refused("Select the devices to deactivate first.", Back);
        }

        var owners = await queries.FindDeviceOwnersAsync(ids, HttpContext.RequestAborted);
        var details = await Task.WhenAll(owners.Values.Distinct().Select(owner => grains.GetGrain<IUserGrain>(owner).GetDetail()));
        Confirming = [.. details.Select(d => d.Value).OfType<UserDetail>().SelectMany(detail => detail.Devices
            .Where(device => ids.Contains(device.Id)).Select(device => (Device: device, OwnerEmail: detail.Profile.Email)))];
        return Page();
    }

    public async Task<IActionResult> OnPostDeactivateAsync(List<string?> ids, string? reason, string? back)
    {
        Back = ConsolePaths.SafeReturn(back, ConsolePaths.Devices);
        var request = new BulkDeactivateRequest(ids, reason);
        var errors = new RequestErrors();
        request.Validate(errors);
        if (errors.Any)
        {
            return Refused(Describe(errors), Back);
        }

        var result = await commands.DeactivateDevicesAsync(request.DeviceIds(), request.Reason!, Admin, HttpContext.RequestAborted);
        return After(result, result.Value is { } statuses ? Summary(statuses) : "", Back);
    }

    public async Task<IActionResult> OnPostActivateAsync(Guid id, string? back) =>
        After(await commands.ActivateDeviceAsync(id, Admin, HttpContext.RequestAborted), "Device activated; the owner's other devices were deactivated.",
            ConsolePaths.SafeReturn(back, ConsolePaths.Devices));

    private static string Summary(IReadOnlyList<DeviceDeactivation> statuses) =>
        string.Join(", ", statuses.GroupBy(s => s.Status).Select(g => $"{g.Count()} {g.Key.Replace('_', ' ')}")) + ".";
}
