using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Common;
using Learning.Devices;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Devices;

public static class DeviceEndpoints
{
    public sealed record DeviceResponse(string Message, Device Device);

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices").WithTags("Devices").RequireCallerCheckedByGrain();
        group.MapPost("/register", Register)
            .Documented<RegisterDeviceRequest>("Register this device (201, or 200 when already active)",
                ErrorCodes.ActiveDeviceExists, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapPost("/transfer", Transfer)
            .Documented<TransferDeviceRequest>("Make this the active device; the others stop",
                ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapGet("", List)
            .Documented("Devices, most recently used first", ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapDelete("/{id}/revoke", Revoke)
            .Documented("Delete a device and end its sessions",
                ErrorCodes.DeviceNotFound, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        return app;
    }

    private static async Task<Results<Created<DeviceResponse>, Ok<DeviceResponse>, ProblemHttpResult>> Register(
        JsonBody<RegisterDeviceRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).RegisterDevice(caller, body.Value.ToCommand());
        if (result.Error is { } failure)
        {
            return ApiProblem.From(failure, http);
        }

        var registration = result.Value!;
        var device = registration.Device;
        return registration.Created
            ? TypedResults.Created("/api/devices", new DeviceResponse("Device registered successfully", device))
            : TypedResults.Ok(new DeviceResponse("Device is already registered and active", device));
    }

    private static async Task<Results<Ok<DeviceResponse>, ProblemHttpResult>> Transfer(
        JsonBody<TransferDeviceRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).TransferTo(caller, body.Value.ToCommand());
        return result.ToHttp(http, device =>
            TypedResults.Ok(new DeviceResponse("Device transferred successfully", device)));
    }

    private static async Task<Results<Ok<IReadOnlyList<Device>>, ProblemHttpResult>> List(
        IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        return (await grains.GetGrain<IUserGrain>(caller.UserId).ListDevices(caller)).ToHttp(http, TypedResults.Ok);
    }

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> Revoke(
        string id, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).RevokeDevice(caller, id);
        return result.ToHttp(http, _ => TypedResults.Ok(new MessageResponse("Device revoked successfully")));
    }
}
