# syntax=docker/dockerfile:1
# alrs cluster node image: `docker build -t alrs:cpu .` (CPU TorchSharp) or
# `docker build --build-arg TORCH_BACKEND=cuda -t alrs:cuda .` (CUDA TorchSharp, needs a
# package source serving TorchSharp-cuda-linux). Used by cluster.compose.yml; see docs/cluster.md.

# ---- build: restore and publish with the .NET SDK -------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# cpu or cuda: which TorchSharp native package the build references (Directory.Build.props).
ARG TORCH_BACKEND=cpu
WORKDIR /src

# Project files first, so the package restore is cached until a project or version changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Torch/Alrs.Torch.csproj src/Torch/
COPY src/Learning/Alrs.Learning.csproj src/Learning/
COPY src/DataFetch/Alrs.DataFetch.csproj src/DataFetch/
COPY src/Reporting/Alrs.Reporting.csproj src/Reporting/
COPY src/Messages/Alrs.Messages.csproj src/Messages/
COPY src/Actors/Alrs.Actors.csproj src/Actors/
COPY src/Nodes/Alrs.Nodes.csproj src/Nodes/
RUN dotnet restore src/Nodes/Alrs.Nodes.csproj -p:TorchBackend=${TORCH_BACKEND}

COPY hocon/ hocon/
COPY src/ src/
RUN dotnet publish src/Nodes/Alrs.Nodes.csproj -c Release --no-restore \
        -p:TorchBackend=${TORCH_BACKEND} -o /app

# ---- runtime: only the .NET runtime and the published node; nothing is fetched at run time
FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# Datasets are mounted read-only at /data (fetch them once on the host: `alrs data fetch`).
ENV ALRS_DATA_DIR=/data
# Containers must accept connections from the compose network, not only from loopback.
ENV ALRS_HOST=0.0.0.0 ALRS_PORT=4053
# `test -f` of this file is the health check: it exists only while the node is Up.
ENV ALRS_READY_FILE=/tmp/alrs-node-up
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1

# Akka.Remote (cluster traffic).
EXPOSE 4053
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 CMD ["test", "-f", "/tmp/alrs-node-up"]

# SIGTERM (docker stop) makes the node leave the cluster gracefully before it exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/alrs.dll"]
CMD ["worker"]
