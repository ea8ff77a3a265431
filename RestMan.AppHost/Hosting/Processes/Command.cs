using System.Diagnostics;

namespace RestMan.Hosting.Processes;

/// <summary>Runs a short set-up command (initdb, chown) to completion, its output going to the resource's log.</summary>
public static class Command
{
    public static async Task<int> RunAsync(string fileName, IEnumerable<string> arguments, ResourceLog log, CancellationToken ct)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return process.ExitCode;
    }

    public static async Task RunCheckedAsync(string fileName, IEnumerable<string> arguments, ResourceLog log, CancellationToken ct)
    {
        var args = arguments.ToList();
        var code = await RunAsync(fileName, args, log, ct);
        if (code != 0)
            throw new InvalidOperationException($"'{fileName} {string.Join(' ', args)}' exited with code {code}");
    }
}
