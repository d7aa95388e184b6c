from bench.machine import Machine, parse_cpu_model, parse_mem_total_gib

CPUINFO = """\
processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B13
cpu cores\t: 2

processor\t: 1
model name\t: AMD EPYC 7B13
"""


def test_cpu_model_is_the_first_model_name() -> None:
    assert parse_cpu_model(CPUINFO) == "AMD EPYC 7B13"


def test_total_memory_is_read_in_gib() -> None:
    assert parse_mem_total_gib("MemTotal:       24683520 kB\nMemFree: 1 kB\n") == 24683520 / 1024 / 1024


def test_description_names_cpu_cores_memory_and_python() -> None:
    machine = Machine(cpu_model="AMD EPYC", cores=2, ram_gib=23.54, python="3.11.7", system="Linux 6.1")
    assert machine.describe() == "AMD EPYC, 2 cores, 23.5 GiB RAM, Python 3.11.7, Linux 6.1"
