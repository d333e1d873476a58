using System.CommandLine;
using Ign.Training;
using Ign.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Ign.Cli.Commands;

/// <summary>`ign serve`: the "Make It Real" web page and its JSON API on this machine.</summary>
public static class ServeCommand
{
    private static readonly Option<string?> CheckpointOption = ModelOptions.Checkpoint();
    private static readonly Option<int> Port = Opt.With("--port", 5080, "TCP port");
    private static readonly Option<string> Host = Opt.With("--host", "127.0.0.1",
        "address to bind (default loopback; 0.0.0.0 exposes it to the network)");

    public static Command Create()
    {
        var command = new Command("serve",
            "serve the Make It Real page (draw or upload, project with f) and its JSON API");
        foreach (var o in new Option[] { CheckpointOption, Port, Host }) command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            int port = parse.GetValue(Port);
            if (port is < 1 or > 65535) throw new ArgumentException("--port must be between 1 and 65535");
            string checkpoint = parse.GetValue(CheckpointOption) ?? ModelFiles.ShippedModelPath();
            if (!File.Exists(checkpoint))
                throw new FileNotFoundException(
                    $"{checkpoint}: checkpoint not found (pass --checkpoint or train one with `ign train`)");
            var app = ServeApp.Build(
                new ServeOptions { Checkpoint = checkpoint, Port = port, Host = parse.GetValue(Host)! });
            app.Start();
            CommandErrors.Info($"serving {checkpoint} at [blue]http://{parse.GetValue(Host)}:{port}/[/] " +
                "(API description: /openapi/v1.json); Ctrl-C stops");
            app.WaitForShutdown();
            return 0;
        }));
        return command;
    }
}
