using Orchestrator.ServiceDefaults;

namespace Orchestrator.ControlPlane.Auth;

/// <summary>
/// The first admin token (--admin-token-file, default DATA_DIR/admin.token): read when the file exists, so several
/// control planes given the same file agree on it; otherwise generated and written with mode 0600.
/// </summary>
public static class AdminTokenFile
{
    /// <exception cref="InvalidSettingsException">the file exists but holds no token</exception>
    public static TokenText ReadOrCreate(string path)
    {
        if (File.Exists(path))
            return TokenText.TryParse(File.ReadAllText(path))
                ?? throw new InvalidSettingsException([$"--admin-token-file: {path} does not hold a token like orc.ID.SECRET; remove it to have one generated"]);
        var token = TokenText.Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var file = new FileStream(path, options);
            using var writer = new StreamWriter(file);
            writer.WriteLine(token.ToString());
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another control plane given the same file wrote it first: use its token, so both agree.
            return ReadOrCreate(path);
        }
        return token;
    }
}

/// <summary>Puts the admin token of <see cref="AdminTokenFile"/> into etcd at start (retrying while etcd is away); /readyz waits for it.</summary>
public sealed class AdminTokenBootstrap(TokenStore tokens, TokenText admin, ILogger<AdminTokenBootstrap> log) : BackgroundService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsDone => _done.Task.IsCompleted;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await tokens.EnsureAsync(admin, Contracts.TokenRoles.Admin, ct);
                _done.TrySetResult();
                log.LogInformation("admin token {Id} is in the cluster store", admin.Id);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning("could not store the admin token yet ({Error}); trying again", e.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }
}
