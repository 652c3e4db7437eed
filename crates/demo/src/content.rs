//! What tickets say: the platform's services with their problems and setup
//! questions, opening messages per category, the replies, follow-ups, notes,
//! calls and system events of a conversation, in Russian and English.
//!
//! Texts are templates: `{key}` is filled from the ticket's facts (see
//! `facts.rs`), so each ticket names its own instances, addresses, invoices
//! and errors and full-text search stays selective.

use shiftdesk_domain::{Category, ServiceStage};

/// The language of a customer and of every ticket they open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Ru,
    En,
}

/// One text in both languages.
#[derive(Debug)]
pub(crate) struct Bi {
    pub ru: &'static str,
    pub en: &'static str,
}

impl Bi {
    pub(crate) const fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => self.ru,
            Lang::En => self.en,
        }
    }
}

const fn bi(ru: &'static str, en: &'static str) -> Bi {
    Bi { ru, en }
}

/// What a customer opens a ticket with: a subject and the message body.
#[derive(Debug)]
pub(crate) struct Topic {
    pub subject: Bi,
    pub body: Bi,
}

const fn topic(subject: Bi, body: Bi) -> Topic {
    Topic { subject, body }
}

/// An out-of-scope request and the task support names when declining it.
#[derive(Debug)]
pub(crate) struct OutOfScope {
    pub topic: Topic,
    pub task: Bi,
}

/// A platform service and what customers write about it.
#[derive(Debug)]
pub(crate) struct ServiceInfo {
    pub name: &'static str,
    pub stage: ServiceStage,
    /// How often tickets are about it, relative to the others.
    pub weight: u32,
    /// The customer's resource as a reply names it (Russian in the accusative).
    pub resource: Bi,
    /// An API call of the service, quoted in error reports.
    pub api: &'static str,
    /// Errors its API answers with.
    pub errors: &'static [&'static str],
    /// The log file customers attach about it.
    pub log: &'static str,
    /// Problems with a resource: resource diagnostics and platform problems.
    pub issues: &'static [Topic],
    /// Help setting the service up.
    pub setups: &'static [Topic],
    /// Lost access that support restores through this service.
    pub access: &'static [Topic],
    /// Requests about it that support declines.
    pub out_of_scope: &'static [OutOfScope],
}

use ServiceStage::{Beta, GeneralAvailability as Ga};

pub(crate) const SERVICES: &[ServiceInfo] = &[
    ServiceInfo {
        name: "Compute Cloud",
        stage: Ga,
        weight: 22,
        resource: bi("ВМ {vm}", "instance {vm}"),
        api: "CreateInstance",
        log: "{vm}-serial-console.log",
        errors: &[
            "RESOURCE_EXHAUSTED: insufficient capacity for platform standard-v3",
            "FAILED_PRECONDITION: disk is attached to another instance",
            "QUOTA_EXCEEDED: compute.instances.cores",
            "INTERNAL: operation failed, retry later",
        ],
        issues: &[
            topic(
                bi("ВМ {vm} не отвечает по SSH", "Instance {vm} is unreachable over SSH"),
                bi(
                    "С {time} МСК не можем подключиться к ВМ {vm} ({ip}) в зоне {zone}: ssh уходит в таймаут на порту 22, ping тоже не проходит. В серийной консоли последняя строка: «watchdog: BUG: soft lockup - CPU#1 stuck for 23s». Перезагрузка из консоли не помогла, на ВМ работает продакшен.",
                    "Since {time} MSK we cannot reach instance {vm} ({ip}) in {zone}: ssh times out on port 22 and ping fails too. The last line in the serial console is \"watchdog: BUG: soft lockup - CPU#1 stuck for 23s\". A restart from the console did not help, and this is our production box.",
                ),
            ),
            topic(
                bi("Высокий steal time на {vm}", "High CPU steal on {vm}"),
                bi(
                    "На ВМ {vm} ({vcpu} vCPU, {zone}) с {time} МСК steal time держится на уровне {pct}%, приложение отвечает в несколько раз медленнее. Конфигурацию и нагрузку не меняли. Можете проверить хост?",
                    "Instance {vm} ({vcpu} vCPU, {zone}) has shown {pct}% CPU steal since {time} MSK and the application is several times slower. We changed neither the configuration nor the load. Could you check the host?",
                ),
            ),
            topic(
                bi("Диск {disk_id} на {vm} перешёл в read-only", "Disk {disk_id} on {vm} went read-only"),
                bi(
                    "После ночного снапшота диск {disk_id} ({disk}) на ВМ {vm} смонтировался только на чтение. В dmesg: «EXT4-fs error (device vdb1): ext4_journal_check_start: Detected aborted journal». Данные нужны, пересоздавать диск не хотим.",
                    "After the nightly snapshot disk {disk_id} ({disk}) on instance {vm} is mounted read-only. dmesg says \"EXT4-fs error (device vdb1): ext4_journal_check_start: Detected aborted journal\". We need the data and would rather not recreate the disk.",
                ),
            ),
        ],
        setups: &[
            topic(
                bi("Второй сетевой интерфейс для {vm}", "Adding a second network interface to {vm}"),
                bi(
                    "Нужно подключить ВМ {vm} одновременно к подсети {subnet} и к публичной сети. В консоли не нашли, где добавить второй интерфейс. Подскажите порядок действий: нужна ли остановка ВМ?",
                    "We need instance {vm} attached both to subnet {subnet} and to the public network. We could not find where to add a second interface in the console. What are the steps, and does the instance have to be stopped?",
                ),
            ),
            topic(
                bi("Группа размещения для ВМ в {region}", "Placement group for instances in {region}"),
                bi(
                    "Хотим разнести ВМ кластера базы ({vm}, {vm2} и ещё одну) по разным физическим хостам в {region}. Как настроить группу размещения для уже созданных ВМ?",
                    "We want our database instances ({vm}, {vm2} and one more) on different physical hosts in {region}. How do we set up a placement group for instances that already exist?",
                ),
            ),
        ],
        access: &[topic(
            bi("Потеряли SSH-ключ от ВМ {vm}", "Lost the SSH key for {vm}"),
            bi(
                "Единственный SSH-ключ от ВМ {vm} был на ноутбуке уволившегося сотрудника. Как получить доступ к ВМ без пересоздания? Пароль для серийной консоли не задавали.",
                "The only SSH key for instance {vm} was on the laptop of a colleague who has left. How can we get into the instance without recreating it? We never set a serial console password.",
            ),
        )],
        out_of_scope: &[
            OutOfScope {
                topic: topic(
                    bi("Настроить nginx на ВМ {vm}", "Please configure nginx on my VM {vm}"),
                    bi(
                        "Поставили на ВМ {vm} nginx, сайт {domain} открывается только по IP, а по домену отдаёт 404. Помогите, пожалуйста, настроить виртуальные хосты и HTTPS.",
                        "We installed nginx on instance {vm}; {domain} opens by IP but returns 404 by name. Please set up the virtual hosts and HTTPS for us.",
                    ),
                ),
                task: bi("настройка nginx на вашей ВМ", "configuring nginx on your instance"),
            },
            OutOfScope {
                topic: topic(
                    bi("Установить WordPress на {vm}", "Install WordPress on {vm}"),
                    bi(
                        "Нужно развернуть WordPress на нашей ВМ {vm} и перенести туда сайт {domain} со старого хостинга. Сделаете?",
                        "We need WordPress installed on our instance {vm} and the site {domain} moved there from our old hosting. Can you do it?",
                    ),
                ),
                task: bi("установка WordPress и перенос сайта", "installing WordPress and moving your site"),
            },
            OutOfScope {
                topic: topic(
                    bi("Письма с Postfix на {vm} попадают в спам", "Mail from Postfix on {vm} lands in spam"),
                    bi(
                        "Письма с нашего Postfix на ВМ {vm} попадают в спам у получателей. Настройте, пожалуйста, SPF, DKIM и сам Postfix для {domain}.",
                        "Mail from our Postfix on instance {vm} ends up in recipients' spam. Please configure SPF, DKIM and Postfix itself for {domain}.",
                    ),
                ),
                task: bi("настройка почтового сервера на ВМ", "configuring a mail server on your instance"),
            },
            OutOfScope {
                topic: topic(
                    bi("Обновить Ubuntu на {vm}", "Upgrade Ubuntu on {vm}"),
                    bi(
                        "ВМ {vm} на Ubuntu 18.04, нужно обновить до 22.04 без простоя сайта. Можете сделать обновление за нас?",
                        "Instance {vm} runs Ubuntu 18.04 and must go to 22.04 without downtime for the site. Can you do the upgrade for us?",
                    ),
                ),
                task: bi("обновление операционной системы ВМ", "upgrading your instance's operating system"),
            },
            OutOfScope {
                topic: topic(
                    bi("Тормозит 1С на Windows Server ({vm})", "1C is slow on Windows Server ({vm})"),
                    bi(
                        "На ВМ {vm} с Windows Server 2019 работает 1С, пользователи жалуются на медленную работу. Посмотрите, пожалуйста, настройки SQL Server и 1С.",
                        "Instance {vm} runs 1C on Windows Server 2019 and users complain it is slow. Please review the SQL Server and 1C settings.",
                    ),
                ),
                task: bi("администрирование 1С и SQL Server на ВМ", "administering 1C and SQL Server on your instance"),
            },
        ],
    },
    ServiceInfo {
        name: "Object Storage",
        stage: Ga,
        weight: 12,
        resource: bi("бакет {bucket}", "bucket {bucket}"),
        api: "PutObject",
        log: "aws-cli-debug.log",
        errors: &[
            "403 SignatureDoesNotMatch",
            "503 SlowDown: Please reduce your request rate",
            "500 InternalError: We encountered an internal error. Please try again.",
            "409 BucketNotEmpty",
        ],
        issues: &[
            topic(
                bi("403 SignatureDoesNotMatch при загрузке в {bucket}", "403 SignatureDoesNotMatch uploading to {bucket}"),
                bi(
                    "С {time} МСК загрузка файлов в бакет {bucket} через aws-cli падает с 403 SignatureDoesNotMatch. Ключи статические, не менялись, на соседнем бакете те же ключи работают. Request ID: {req}.",
                    "Since {time} MSK uploads to bucket {bucket} via aws-cli fail with 403 SignatureDoesNotMatch. The static keys have not changed and work fine on another bucket. Request ID: {req}.",
                ),
            ),
            topic(
                bi("Ошибки 503 SlowDown на {bucket}", "503 SlowDown errors on {bucket}"),
                bi(
                    "Ночной бэкап ({disk}) в бакет {bucket} стал падать с 503 SlowDown при нагрузке около {rps} запросов в секунду. Раньше такого не было. Есть ли лимит на бакет и можно ли его поднять?",
                    "Our nightly backup ({disk}) into bucket {bucket} now fails with 503 SlowDown at about {rps} requests per second. This never happened before. Is there a per-bucket limit and can it be raised?",
                ),
            ),
            topic(
                bi("Правило жизненного цикла не удаляет объекты в {bucket}", "Lifecycle rule does not expire objects in {bucket}"),
                bi(
                    "В бакете {bucket} настроено правило: удалять объекты с префиксом logs/ старше 30 дней. Прошло больше месяца, объекты на месте, бакет вырос до {disk}. Правило в консоли в статусе «Включено».",
                    "Bucket {bucket} has a rule to expire objects under logs/ after 30 days. More than a month has passed, the objects are still there and the bucket has grown to {disk}. The rule shows as Enabled in the console.",
                ),
            ),
        ],
        setups: &[
            topic(
                bi("Настройка CORS для бакета {bucket}", "CORS setup for bucket {bucket}"),
                bi(
                    "Фронтенд на {domain} загружает файлы напрямую в {bucket} по presigned URL, но браузер блокирует запросы из-за CORS. Какую конфигурацию CORS поставить, чтобы разрешить PUT только с нашего домена?",
                    "Our frontend on {domain} uploads straight into {bucket} with presigned URLs, but the browser blocks the requests because of CORS. What CORS configuration allows PUT from our domain only?",
                ),
            ),
            topic(
                bi("Статический сайт из {bucket} на {domain}", "Static website from {bucket} on {domain}"),
                bi(
                    "Хотим отдавать статический сайт из бакета {bucket} на домене {domain} по HTTPS. Как привязать домен и сертификат?",
                    "We want to serve a static site from bucket {bucket} on {domain} over HTTPS. How do we attach the domain and a certificate?",
                ),
            ),
        ],
        access: &[],
        out_of_scope: &[],
    },
    ServiceInfo {
        name: "Managed Kubernetes",
        stage: Ga,
        weight: 14,
        resource: bi("кластер {cluster}", "cluster {cluster}"),
        api: "UpdateCluster",
        log: "kubelet-{cluster}.log",
        errors: &[
            "FAILED_PRECONDITION: cluster has a running operation",
            "RESOURCE_EXHAUSTED: quota k8s.nodeGroups.count exceeded",
            "DEADLINE_EXCEEDED: context deadline exceeded",
            "INTERNAL: node group update failed",
        ],
        issues: &[
            topic(
                bi("Ноды кластера {cluster} в статусе NotReady", "Nodes of {cluster} are NotReady"),
                bi(
                    "С {time} МСК {nodes} нод кластера {cluster} в {zone} в статусе NotReady. В логах kubelet: «PLEG is not healthy: pleg was last seen active 3m12s ago». Поды переезжают, но часть сервисов лежит.",
                    "Since {time} MSK {nodes} nodes of cluster {cluster} in {zone} have been NotReady. The kubelet logs say \"PLEG is not healthy: pleg was last seen active 3m12s ago\". Pods are being rescheduled but some services are down.",
                ),
            ),
            topic(
                bi("Service типа LoadBalancer в {cluster} без внешнего IP", "LoadBalancer Service in {cluster} stuck without external IP"),
                bi(
                    "Создали Service типа LoadBalancer в кластере {cluster}, уже час EXTERNAL-IP в статусе <pending>. В событиях: «Error syncing load balancer: failed to ensure load balancer: quota exceeded for network load balancers». По квотам в консоли запас есть.",
                    "We created a LoadBalancer Service in cluster {cluster} and EXTERNAL-IP has been <pending> for an hour. The events say \"Error syncing load balancer: failed to ensure load balancer: quota exceeded for network load balancers\". The console shows quota headroom.",
                ),
            ),
            topic(
                bi("Обновление {cluster} до {k8s} зависло", "Upgrade of {cluster} to {k8s} is stuck"),
                bi(
                    "Запустили обновление мастера кластера {cluster} до версии {k8s} в {time} МСК, операция висит в статусе UPDATING больше трёх часов. kubectl отвечает через раз.",
                    "We started the master upgrade of cluster {cluster} to {k8s} at {time} MSK and the operation has been UPDATING for more than three hours. kubectl answers only every other time.",
                ),
            ),
        ],
        setups: &[
            topic(
                bi("Автомасштабирование группы узлов в {cluster}", "Node group autoscaling in {cluster}"),
                bi(
                    "Хотим, чтобы группа узлов в {cluster} масштабировалась от 3 до {count} нод по нагрузке. Как включить cluster autoscaler в управляемом кластере и учитываются ли квоты проекта?",
                    "We want the node group of {cluster} to scale from 3 to {count} nodes with load. How do we enable the cluster autoscaler in a managed cluster, and do project quotas apply?",
                ),
            ),
            topic(
                bi("Доступ из {cluster} к реестру образов по приватной сети", "Private registry access from {cluster}"),
                bi(
                    "Поды в кластере {cluster} тянут образы из реестра через интернет и упираются в NAT. Можно ли настроить доступ к реестру через приватную подсеть {subnet}?",
                    "Pods in cluster {cluster} pull images from the registry over the internet and hit the NAT limits. Can registry access go through the private subnet {subnet} instead?",
                ),
            ),
        ],
        access: &[],
        out_of_scope: &[OutOfScope {
            topic: topic(
                bi("Написать Helm-чарт для нашего приложения", "Write a Helm chart for our application"),
                bi(
                    "Переезжаем в кластер {cluster}, нужен Helm-чарт для нашего Django-приложения с Celery и Redis. Можете подготовить и задеплоить?",
                    "We are moving to cluster {cluster} and need a Helm chart for our Django application with Celery and Redis. Could you write and deploy it?",
                ),
            ),
            task: bi("разработка Helm-чартов для вашего приложения", "writing Helm charts for your application"),
        }],
    },
    ServiceInfo {
        name: "Managed PostgreSQL",
        stage: Ga,
        weight: 12,
        resource: bi("кластер {db}", "cluster {db}"),
        api: "RestoreCluster",
        log: "postgresql-{db}.log",
        errors: &[
            "FAILED_PRECONDITION: cluster has a running operation",
            "RESOURCE_EXHAUSTED: quota mdb.hosts.count exceeded",
            "UNAVAILABLE: host is unreachable",
            "INTERNAL: failed to create backup",
        ],
        issues: &[
            topic(
                bi("Кончились подключения к {db}", "Connection slots exhausted on {db}"),
                bi(
                    "С {time} МСК приложение не может подключиться к кластеру PostgreSQL {db}: «FATAL: remaining connection slots are reserved for non-replication superuser connections». Пул в приложении не меняли, max_connections 200. Мастер: {ip_private}.",
                    "Since {time} MSK our application cannot connect to PostgreSQL cluster {db}: \"FATAL: remaining connection slots are reserved for non-replication superuser connections\". We did not touch the pool, max_connections is 200. Master: {ip_private}.",
                ),
            ),
            topic(
                bi("Реплика {db} отстаёт на {lag} секунд", "Replica of {db} lags {lag} seconds behind"),
                bi(
                    "Реплика в кластере {db} отстаёт от мастера на {lag} секунд, и отставание растёт. Размер базы {db_size}, нагрузка на запись обычная. Отчёты читаем с реплики, они показывают устаревшие данные.",
                    "The replica in cluster {db} is {lag} seconds behind the master and the lag keeps growing. The database is {db_size} with the usual write load. Our reports read from the replica and show stale data.",
                ),
            ),
            topic(
                bi("Внеплановое переключение мастера в {db}", "Unplanned master failover in {db}"),
                bi(
                    "В {time} МСК в кластере {db} мастер переключился на другую ноду без нашего участия, приложение минуту ловило ошибки записи. Что случилось и можно ли было это предотвратить?",
                    "At {time} MSK cluster {db} failed over to another node without us doing anything, and the application got write errors for a minute. What happened, and could it have been avoided?",
                ),
            ),
        ],
        setups: &[
            topic(
                bi("Расширение PostGIS в {db}", "Enabling PostGIS in {db}"),
                bi(
                    "Нужно расширение postgis в базе кластера {db}. CREATE EXTENSION выдаёт «permission denied to create extension». Как его включить в управляемом кластере?",
                    "We need the postgis extension in a database of cluster {db}. CREATE EXTENSION says \"permission denied to create extension\". How do we enable it in a managed cluster?",
                ),
            ),
            topic(
                bi("Подключение к {db} из Kubernetes по приватной сети", "Connecting to {db} from Kubernetes privately"),
                bi(
                    "Как подключить поды из нашего кластера {cluster} к {db} без публичного доступа? Оба в {region}, подсеть {subnet}.",
                    "How do we connect pods of our cluster {cluster} to {db} without public access? Both are in {region}, subnet {subnet}.",
                ),
            ),
        ],
        access: &[],
        out_of_scope: &[OutOfScope {
            topic: topic(
                bi("Медленные запросы в {db}", "Slow queries in {db}"),
                bi(
                    "Отчёты в нашем приложении строятся по пять минут, база {db}. Оптимизируйте, пожалуйста, запросы и индексы — приложение писали подрядчики, их уже нет.",
                    "Reports in our application take five minutes on database {db}. Please optimise the queries and indexes; contractors wrote the application and they are gone.",
                ),
            ),
            task: bi("оптимизация SQL-запросов вашего приложения", "tuning your application's SQL queries"),
        }],
    },
    ServiceInfo {
        name: "Managed MySQL",
        stage: Ga,
        weight: 6,
        resource: bi("кластер {db}", "cluster {db}"),
        api: "RestoreCluster",
        log: "app-{date}.log",
        errors: &[
            "FAILED_PRECONDITION: cluster has a running operation",
            "RESOURCE_EXHAUSTED: quota mdb.hosts.count exceeded",
            "UNAVAILABLE: host is unreachable",
            "INTERNAL: failed to create backup",
        ],
        issues: &[
            topic(
                bi("Too many connections на {db}", "Too many connections on {db}"),
                bi(
                    "С {time} МСК MySQL-кластер {db} отвечает «ERROR 1040 (HY000): Too many connections», хотя приложение держит не больше 150 соединений. В списке процессов много соединений в состоянии Sleep с адреса {ip_private}.",
                    "Since {time} MSK MySQL cluster {db} answers \"ERROR 1040 (HY000): Too many connections\" although the application holds at most 150. The process list shows many Sleep connections from {ip_private}.",
                ),
            ),
            topic(
                bi("Не восстанавливается {db} на момент времени", "Point-in-time restore of {db} fails"),
                bi(
                    "Пытаемся восстановить кластер {db} на вчера {time} МСК (по ошибке удалили таблицу orders), операция падает с «restore failed: backup is not available for the requested time». Бэкапы включены, хранение 7 дней.",
                    "We are restoring cluster {db} to yesterday {time} MSK (a table was dropped by mistake) and the operation fails with \"restore failed: backup is not available for the requested time\". Backups are on with 7 days of retention.",
                ),
            ),
        ],
        setups: &[topic(
            bi("Внешняя реплика {db} в нашем офисе", "External replica of {db} in our office"),
            bi(
                "Хотим поднять реплику кластера {db} у себя в офисе ({ip}) для отчётов. Можно ли включить внешнюю репликацию и какие параметры binlog нужны?",
                "We want a replica of cluster {db} in our office ({ip}) for reporting. Can external replication be enabled, and which binlog settings does it need?",
            ),
        )],
        access: &[],
        out_of_scope: &[],
    },
    ServiceInfo {
        name: "Virtual Private Cloud",
        stage: Ga,
        weight: 8,
        resource: bi("сеть {vpc}", "network {vpc}"),
        api: "UpdateRouteTable",
        log: "journalctl-{date}.log",
        errors: &[
            "FAILED_PRECONDITION: subnet CIDR overlaps with an existing subnet",
            "RESOURCE_EXHAUSTED: quota vpc.externalAddresses.count exceeded",
            "INTERNAL: route table update failed",
            "NOT_FOUND: security group not found",
        ],
        issues: &[
            topic(
                bi("Нет связи между подсетями в {vpc}", "No connectivity between subnets of {vpc}"),
                bi(
                    "ВМ {vm} ({ip_private}) в подсети {subnet} перестала видеть базу в соседней подсети той же сети {vpc}. С {time} МСК ping и TCP на порт {port} не проходят, группы безопасности не меняли.",
                    "Instance {vm} ({ip_private}) in subnet {subnet} can no longer reach the database in the neighbouring subnet of network {vpc}. Since {time} MSK neither ping nor TCP to port {port} gets through; we did not change security groups.",
                ),
            ),
            topic(
                bi("Нет интернета через NAT-шлюз с {vm}", "No internet through the NAT gateway from {vm}"),
                bi(
                    "Исходящий трафик с ВМ {vm} в подсети {subnet} через NAT-шлюз перестал ходить: curl до внешних адресов висит до таймаута. Маршрут 0.0.0.0/0 в таблице маршрутов указывает на шлюз.",
                    "Outbound traffic from instance {vm} in subnet {subnet} no longer passes the NAT gateway: curl to outside addresses hangs until timeout. The 0.0.0.0/0 route in the route table points at the gateway.",
                ),
            ),
            topic(
                bi("Правило группы безопасности не применяется", "Security group rule is not applied"),
                bi(
                    "Добавили в группу безопасности правило на вход TCP {port} с адреса {ip}, но соединения всё равно отбрасываются. Группа привязана к интерфейсу ВМ {vm}, правило создано в {time} МСК.",
                    "We added an inbound rule for TCP {port} from {ip} to the security group, yet connections are still dropped. The group is bound to the interface of instance {vm}; the rule was created at {time} MSK.",
                ),
            ),
        ],
        setups: &[topic(
            bi("Site-to-site VPN между {vpc} и офисом", "Site-to-site VPN between {vpc} and our office"),
            bi(
                "Нужно связать сеть {vpc} с офисной сетью через IPsec. Внешний адрес офисного маршрутизатора {ip}. Какие параметры туннеля поддерживаются и как прописать маршруты для {subnet}?",
                "We need network {vpc} linked to our office network over IPsec. The office router's public address is {ip}. Which tunnel parameters are supported, and how do we route {subnet}?",
            ),
        )],
        access: &[],
        out_of_scope: &[],
    },
    ServiceInfo {
        name: "Load Balancer",
        stage: Ga,
        weight: 6,
        resource: bi("балансировщик {lb}", "load balancer {lb}"),
        api: "UpdateListener",
        log: "nginx-error.log",
        errors: &[
            "FAILED_PRECONDITION: target group is in use",
            "INVALID_ARGUMENT: certificate chain is incomplete",
            "INTERNAL: listener update failed",
            "RESOURCE_EXHAUSTED: quota loadBalancers.count exceeded",
        ],
        issues: &[
            topic(
                bi("Балансировщик {lb} отдаёт 502 Bad Gateway", "Load balancer {lb} returns 502 Bad Gateway"),
                bi(
                    "С {time} МСК балансировщик {lb} для {domain} отдаёт 502 примерно на каждый пятый запрос. Бэкенды ({ip_private} и ещё два) напрямую отвечают без ошибок, проверки здоровья зелёные.",
                    "Since {time} MSK load balancer {lb} for {domain} returns 502 on roughly every fifth request. The backends ({ip_private} and two more) answer fine directly and health checks are green.",
                ),
            ),
            topic(
                bi("Все цели {lb} в статусе UNHEALTHY", "All targets of {lb} are UNHEALTHY"),
                bi(
                    "Все цели балансировщика {lb} помечены UNHEALTHY, хотя приложение на порту {port} отвечает 200 на /healthz. Трафик на {domain} не идёт.",
                    "Every target of load balancer {lb} is marked UNHEALTHY although the application on port {port} answers 200 on /healthz. No traffic reaches {domain}.",
                ),
            ),
        ],
        setups: &[topic(
            bi("TLS-сертификат для {domain} на {lb}", "TLS certificate for {domain} on {lb}"),
            bi(
                "Хотим терминировать HTTPS для {domain} на балансировщике {lb} с сертификатом Let's Encrypt, который обновляется автоматически. Как это настроить?",
                "We want HTTPS for {domain} terminated on load balancer {lb} with an automatically renewed Let's Encrypt certificate. How do we set that up?",
            ),
        )],
        access: &[],
        out_of_scope: &[],
    },
    ServiceInfo {
        name: "Cloud DNS",
        stage: Ga,
        weight: 4,
        resource: bi("DNS-зону {domain}", "DNS zone {domain}"),
        api: "UpdateRecordSets",
        log: "app-{date}.log",
        errors: &[
            "INVALID_ARGUMENT: CNAME record conflicts with other records",
            "ALREADY_EXISTS: record set already exists",
            "INTERNAL: zone update failed",
            "PERMISSION_DENIED: dns.zones.update",
        ],
        issues: &[topic(
            bi("Записи {domain} не резолвятся", "Records of {domain} do not resolve"),
            bi(
                "После изменения A-записи для {domain} в {time} МСК часть резолверов отвечает NXDOMAIN. dig к NS-серверам облака возвращает новую запись, а 8.8.8.8 — NXDOMAIN. TTL был 300.",
                "After we changed the A record of {domain} at {time} MSK some resolvers answer NXDOMAIN. dig against the cloud's name servers returns the new record, 8.8.8.8 returns NXDOMAIN. The TTL was 300.",
            ),
        )],
        setups: &[topic(
            bi("Делегирование {domain} на DNS облака", "Delegating {domain} to the cloud DNS"),
            bi(
                "Купили домен {domain} у регистратора, хотим обслуживать зону в облаке. Какие NS-записи прописать у регистратора и сколько ждать обновления?",
                "We bought {domain} from a registrar and want the zone served by the cloud. Which NS records go to the registrar and how long does it take to propagate?",
            ),
        )],
        access: &[],
        out_of_scope: &[],
    },
    ServiceInfo {
        name: "Identity and Access Management",
        stage: Ga,
        weight: 6,
        resource: bi("сервисный аккаунт {sa}", "service account {sa}"),
        api: "CreateIamToken",
        log: "terraform-apply.log",
        errors: &[
            "PERMISSION_DENIED: iam.serviceAccounts.tokenCreate",
            "UNAUTHENTICATED: the token has expired",
            "INVALID_ARGUMENT: invalid JWT signature",
            "RESOURCE_EXHAUSTED: quota iam.keys.count exceeded",
        ],
        issues: &[topic(
            bi("CI не может получить токен для {sa}", "CI cannot get a token for {sa}"),
            bi(
                "С {time} МСК пайплайн в GitLab CI получает «PERMISSION_DENIED: iam.serviceAccounts.tokenCreate» при выпуске токена для сервисного аккаунта {sa}. Роли не меняли, ключ создан месяц назад.",
                "Since {time} MSK our GitLab CI pipeline gets \"PERMISSION_DENIED: iam.serviceAccounts.tokenCreate\" when issuing a token for service account {sa}. Roles are unchanged and the key is a month old.",
            ),
        )],
        setups: &[
            topic(
                bi("Вход в консоль через корпоративный SSO", "Console sign-in through our corporate SSO"),
                bi(
                    "Хотим, чтобы сотрудники {company} входили в консоль через наш Keycloak по SAML, а доступ выдавался по группам. Какие атрибуты нужны и как сопоставить группы с ролями?",
                    "We want {company} staff to sign in to the console through our Keycloak over SAML, with access granted by group. Which attributes are needed and how do groups map to roles?",
                ),
            ),
            topic(
                bi("Минимальные права для {sa}", "Least privilege for {sa}"),
                bi(
                    "Сервисный аккаунт {sa} используется Terraform и сейчас имеет роль admin. Хотим урезать права до минимума: какие роли нужны для управления ВМ и сетями в проекте?",
                    "Service account {sa} is used by Terraform and currently holds the admin role. We want least privilege: which roles are needed to manage instances and networks in the project?",
                ),
            ),
        ],
        access: &[
            topic(
                bi("Потерян доступ к аккаунту {login}: сменился телефон с 2FA", "Lost access to account {login}: 2FA phone replaced"),
                bi(
                    "Сотрудник, у которого была двухфакторная аутентификация для аккаунта {login}, сменил телефон, резервные коды не сохранились. Войти в консоль не можем, а ресурсы в проекте работают. Как восстановить доступ?",
                    "The colleague who had two-factor authentication for account {login} replaced their phone and the backup codes are lost. We cannot sign in to the console while our resources keep running. How do we regain access?",
                ),
            ),
            topic(
                bi("Аккаунт {login} заблокирован после попыток входа", "Account {login} locked after sign-in attempts"),
                bi(
                    "При входе в консоль под {login} пишет «Аккаунт временно заблокирован». Похоже, кто-то много раз ввёл неверный пароль. Доступ нужен срочно, в {time} МСК релиз.",
                    "Signing in to the console as {login} says \"Account temporarily locked\". It looks like someone entered a wrong password many times. We need access urgently, a release is due at {time} MSK.",
                ),
            ),
            topic(
                bi("Владелец аккаунта {login} уволился", "Owner of account {login} has left the company"),
                bi(
                    "Владельцем аккаунта {login} была почта уволившегося сотрудника, ящик уже удалён. Как перевести аккаунт на {email}? Готовы прислать письмо на бланке компании.",
                    "Account {login} is owned by the mailbox of an employee who has left, and the mailbox is gone. How do we move the account to {email}? We can send a letter on company letterhead.",
                ),
            ),
            topic(
                bi("Ключ {sa} попал в публичный репозиторий", "Key of {sa} leaked to a public repository"),
                bi(
                    "Статический ключ сервисного аккаунта {sa} в {time} МСК случайно попал в публичный репозиторий. Ключ удалили, но просим проверить, были ли запросы с чужих адресов, и помочь сменить доступы.",
                    "A static key of service account {sa} was pushed to a public repository at {time} MSK. We deleted the key, but please check for requests from unknown addresses and help us rotate access.",
                ),
            ),
        ],
        out_of_scope: &[],
    },
    ServiceInfo {
        name: "Managed Kafka (Beta)",
        stage: Beta,
        weight: 4,
        resource: bi("кластер {kafka}", "cluster {kafka}"),
        api: "CreateTopic",
        log: "app-{date}.log",
        errors: &[
            "FAILED_PRECONDITION: cluster is updating",
            "INTERNAL: broker configuration update failed",
            "RESOURCE_EXHAUSTED: quota kafka.brokers.count exceeded",
            "UNAVAILABLE: broker is not reachable",
        ],
        issues: &[
            topic(
                bi("Растёт лаг консьюмеров в {kafka}", "Consumer lag growing in {kafka}"),
                bi(
                    "Лаг группы консьюмеров по топику {topic} в кластере {kafka} растёт с {time} МСК и уже больше миллиона сообщений. Продюсеры получают NOT_ENOUGH_REPLICAS. Понимаем, что сервис в бете, но это тестовый контур перед запуском.",
                    "Consumer group lag on topic {topic} in cluster {kafka} has been growing since {time} MSK and is past a million messages. Producers get NOT_ENOUGH_REPLICAS. We know the service is in beta, but this is our pre-launch environment.",
                ),
            ),
            topic(
                bi("Брокер {kafka} перезапускается по кругу", "A broker of {kafka} keeps restarting"),
                bi(
                    "Один из брокеров кластера {kafka} перезапускается каждые несколько минут, в логах «java.lang.OutOfMemoryError: Java heap space». Топик {topic}, 12 партиций.",
                    "One broker of cluster {kafka} restarts every few minutes with \"java.lang.OutOfMemoryError: Java heap space\" in its log. Topic {topic}, 12 partitions.",
                ),
            ),
        ],
        setups: &[topic(
            bi("SASL/SCRAM для {kafka}", "SASL/SCRAM for {kafka}"),
            bi(
                "Как создать пользователя с доступом только на чтение топика {topic} в кластере {kafka} и подключиться по SASL_SSL?",
                "How do we create a user with read-only access to topic {topic} in cluster {kafka} and connect over SASL_SSL?",
            ),
        )],
        access: &[],
        out_of_scope: &[],
    },
    ServiceInfo {
        name: "Serverless Functions (Beta)",
        stage: Beta,
        weight: 3,
        resource: bi("функцию {function}", "function {function}"),
        api: "InvokeFunction",
        log: "app-{date}.log",
        errors: &[
            "DEADLINE_EXCEEDED: function invocation timed out",
            "RESOURCE_EXHAUSTED: concurrent invocations limit reached",
            "INTERNAL: runtime failed to start",
            "INVALID_ARGUMENT: package size exceeds 128 MB",
        ],
        issues: &[topic(
            bi("Функция {function} падает по таймауту", "Function {function} times out"),
            bi(
                "С {time} МСК функция {function} на Python 3.12 завершается с «Function invocation timed out after 30s», хотя локально отрабатывает за 2 секунды. Похоже на долгий холодный старт.",
                "Since {time} MSK function {function} on Python 3.12 ends with \"Function invocation timed out after 30s\" while it runs in 2 seconds locally. It looks like a long cold start.",
            ),
        )],
        setups: &[topic(
            bi("Запуск {function} по расписанию", "Running {function} on a schedule"),
            bi(
                "Как запускать функцию {function} каждый день в 03:00 МСК и передавать ей параметры? Нашли триггеры, но не поняли, в каком часовом поясе cron.",
                "How do we run function {function} every day at 03:00 MSK with parameters? We found triggers but not which time zone the cron uses.",
            ),
        )],
        access: &[],
        out_of_scope: &[],
    },
    ServiceInfo {
        name: "GPU Instances (Beta)",
        stage: Beta,
        weight: 3,
        resource: bi("ВМ {gpu}", "GPU instance {gpu}"),
        api: "CreateInstance",
        log: "journalctl-{date}.log",
        errors: &[
            "RESOURCE_EXHAUSTED: no GPU capacity in zone",
            "FAILED_PRECONDITION: GPU driver image not found",
            "INTERNAL: failed to attach GPU",
            "QUOTA_EXCEEDED: compute.gpus.count",
        ],
        issues: &[
            topic(
                bi("nvidia-smi не видит GPU на {gpu}", "nvidia-smi finds no GPU on {gpu}"),
                bi(
                    "На ВМ {gpu} с образом для ML nvidia-smi выдаёт «No devices were found». В {time} МСК перезагружали, не помогло. Платформа gpu-a100, зона {zone}.",
                    "On instance {gpu} with the ML image nvidia-smi says \"No devices were found\". We rebooted at {time} MSK, no change. Platform gpu-a100, zone {zone}.",
                ),
            ),
            topic(
                bi("Не создаётся ВМ с GPU в {zone}", "Cannot create a GPU instance in {zone}"),
                bi(
                    "Создание ВМ с GPU в {zone} падает с «RESOURCE_EXHAUSTED: no GPU capacity in zone». Пробуем с {time} МСК. Есть ли свободные мощности в другой зоне?",
                    "Creating a GPU instance in {zone} fails with \"RESOURCE_EXHAUSTED: no GPU capacity in zone\". We have been trying since {time} MSK. Is there capacity in another zone?",
                ),
            ),
        ],
        setups: &[topic(
            bi("Драйверы CUDA на {gpu}", "CUDA drivers on {gpu}"),
            bi(
                "Какой образ выбрать для ВМ {gpu}, чтобы сразу были драйверы NVIDIA и CUDA 12, и можно ли обновлять драйвер самим?",
                "Which image gives instance {gpu} NVIDIA drivers and CUDA 12 out of the box, and may we update the driver ourselves?",
            ),
        )],
        access: &[],
        out_of_scope: &[],
    },
];

pub(crate) const CONSULTING_TOPICS: &[Topic] = &[
    topic(
        bi("Отказоустойчивая схема для {service} в {region}", "Fault-tolerant design for {service} in {region}"),
        bi(
            "Планируем перенести основной сервис (около {rps} запросов в секунду) в {service}. Нужна схема, которая переживёт отказ одной зоны в {region}; сейчас всё в {zone}. Какие варианты рекомендуете и что будет с задержками между зонами?",
            "We plan to move our main service (about {rps} requests per second) to {service}. We need a design that survives the loss of one zone in {region}; today everything is in {zone}. What do you recommend, and what latency should we expect between zones?",
        ),
    ),
    topic(
        bi("Резервные копии между {region} и {region2}", "Backups across {region} and {region2}"),
        bi(
            "Хотим хранить копии данных {service} во втором регионе {region2} на случай аварии в {region}. Какие есть штатные механизмы и какое RPO реально получить?",
            "We want copies of our {service} data in a second region, {region2}, in case {region} fails. Which built-in mechanisms exist and what RPO is realistic?",
        ),
    ),
    topic(
        bi("Миграция базы {db_size} из собственного ЦОД", "Migrating a {db_size} database from our data centre"),
        bi(
            "Переносим PostgreSQL на {db_size} из своего ЦОД в облако, простой — не больше 15 минут. Что лучше: логическая репликация в управляемый кластер или ВМ с Patroni? Связь с ЦОД — VPN через {ip}.",
            "We are moving a {db_size} PostgreSQL from our own data centre with at most 15 minutes of downtime. Logical replication into a managed cluster, or instances with Patroni? The data centre connects over VPN via {ip}.",
        ),
    ),
    topic(
        bi("{service} или собственные ВМ?", "{service} or our own instances?"),
        bi(
            "Сравниваем {service} и самостоятельную установку на ВМ для нагрузки примерно {rps} RPS. Интересуют ограничения управляемого сервиса, окна обслуживания и стоимость при росте в три раза.",
            "We are comparing {service} with running it ourselves on instances at about {rps} RPS. We would like to know the managed service's limits, maintenance windows and the cost if load triples.",
        ),
    ),
    topic(
        bi("Изоляция окружений prod и stage", "Isolating prod and stage"),
        bi(
            "Сейчас prod и stage живут в одном облаке и одной сети {vpc}. Как правильно разделить их по облакам, сетям и сервисным аккаунтам, чтобы ошибка в stage не задела prod?",
            "Prod and stage share one cloud and one network, {vpc}. How should we split clouds, networks and service accounts so that a mistake in stage cannot touch prod?",
        ),
    ),
];

pub(crate) const BILLING_TOPICS: &[Topic] = &[
    topic(
        bi("Двойное списание по счёту {invoice}", "Charged twice for invoice {invoice}"),
        bi(
            "По счёту {invoice} с карты дважды списали {amount}, во втором списании тот же номер счёта. Просим вернуть лишнее или зачесть в следующий месяц.",
            "Our card was charged {amount} twice for invoice {invoice}; the second charge carries the same invoice number. Please refund it or credit it to next month.",
        ),
    ),
    topic(
        bi("Не пришли закрывающие документы за {month}", "Closing documents for {month} missing"),
        bi(
            "Не получили акт и счёт-фактуру за {month} в ЭДО. Бухгалтерия просит до пятого числа. ИНН в профиле актуальный.",
            "We have not received the acceptance certificate and VAT invoice for {month} through e-invoicing. Accounting needs them by the fifth. The tax ID in our profile is current.",
        ),
    ),
    topic(
        bi("Почему выросла стоимость {service} за {month}", "Why did {service} cost more in {month}?"),
        bi(
            "Счёт за {month} по {service} — {amount}, почти вдвое больше обычного. В детализации много строк «исходящий трафик». Помогите понять, откуда трафик.",
            "The {month} bill for {service} is {amount}, almost twice the usual. The breakdown is full of \"egress traffic\" lines. Please help us find where the traffic comes from.",
        ),
    ),
    topic(
        bi("Подключение Professional Services", "Switching to Professional Services"),
        bi(
            "Хотим подключить Professional Services для аккаунта {login}: круглосуточное администрирование и реагирование на инциденты. Сколько стоит, как поменяется SLA и можно ли с первого числа?",
            "We would like Professional Services for account {login}: 24/7 administration and incident response. What does it cost, how does the SLA change, and can it start on the first of the month?",
        ),
    ),
    topic(
        bi("Грант не применился к счёту {invoice}", "Grant not applied to invoice {invoice}"),
        bi(
            "При регистрации активировали промокод на грант, но в счёте {invoice} скидки нет, к оплате {amount}. Грант в консоли отображается как активный.",
            "We activated a grant promo code at sign-up, but invoice {invoice} shows no discount and asks for {amount}. The console lists the grant as active.",
        ),
    ),
    topic(
        bi("Ресурсы остановлены из-за баланса, хотя оплатили {invoice}", "Resources stopped for balance although {invoice} is paid"),
        bi(
            "Ресурсы в аккаунте {login} остановлены из-за отрицательного баланса, хотя платёж на {amount} по счёту {invoice} ушёл вчера. Когда разблокируете?",
            "Resources of account {login} were stopped for a negative balance although we paid {amount} for invoice {invoice} yesterday. When will they be unblocked?",
        ),
    ),
];

pub(crate) const PLATFORM_TOPICS: &[Topic] = &[
    topic(
        bi("Ошибка при вызове {api} в {zone}", "{api} fails in {zone}"),
        bi(
            "С {time} МСК вызовы {api} в зоне {zone} падают с ошибкой «{error}». Конфигурацию не меняли, через консоль то же самое. Request ID: {req}. На статус-странице инцидентов нет.",
            "Since {time} MSK calls to {api} in {zone} fail with \"{error}\". Nothing changed in our configuration and the console fails the same way. Request ID: {req}. The status page shows no incident.",
        ),
    ),
    topic(
        bi("Консоль не открывает раздел {service}", "Console fails to open {service}"),
        bi(
            "При открытии раздела {service} консоль показывает «Что-то пошло не так», в DevTools ответ 502 на запрос {api}. В другом браузере так же. Request ID: {req}.",
            "Opening {service} in the console shows \"Something went wrong\" and DevTools shows a 502 on the {api} request. Same in another browser. Request ID: {req}.",
        ),
    ),
    topic(
        bi("Таймауты API {service} в {region}", "{service} API timeouts in {region}"),
        bi(
            "Примерно с {time} МСК запросы к API {service} в {region} отвечают по 20–30 секунд или падают с «{error}». Terraform не может применить план, пайплайны стоят.",
            "Since about {time} MSK requests to the {service} API in {region} take 20–30 seconds or fail with \"{error}\". Terraform cannot apply its plan and our pipelines are stuck.",
        ),
    ),
];

/// Appended when a resource problem is reported as the platform's fault.
pub(crate) const PLATFORM_SUSPICION: Bi = bi(
    "Мы ничего не меняли, похоже на проблему на стороне платформы.",
    "We changed nothing on our side; this looks like a platform problem.",
);

/// What agents and the customer say as a ticket of one kind of category
/// goes on.
#[derive(Debug)]
pub(crate) struct Script {
    /// The agent's first answer when nothing is missing from the intake.
    pub first: &'static [Bi],
    pub progress: &'static [Bi],
    /// The agent waits on the customer after this.
    pub question: &'static [Bi],
    pub solution: &'static [Bi],
    /// The customer writes again.
    pub follow_up: &'static [Bi],
}

/// The script for a category.
pub(crate) const fn script(category: Category) -> &'static Script {
    match category {
        Category::ResourceDiagnostics | Category::PlatformProblem => &TECHNICAL,
        Category::ArchitectureConsulting => &CONSULTING,
        Category::AccessRecovery => &ACCESS,
        Category::Billing => &BILLING,
        Category::ServiceSetup => &SETUP,
        Category::OutOfScope => &OUT_OF_SCOPE,
    }
}

const TECHNICAL: Script = Script {
    first: &[
        bi(
            "Спасибо за обращение {ticket}. Взяли в работу, проверяем {res} со стороны платформы. Вернёмся с результатом в течение {eta}.",
            "Thank you for reporting {ticket}. We are on it and checking {res} on the platform side. We will come back with results within {eta}.",
        ),
        bi(
            "Видим обращение, уже смотрим {res}. В {zone} в это время были ошибки {api} на нашей стороне, проверяем, связаны ли они с вашей проблемой.",
            "We see your request and are looking at {res}. There were {api} errors on our side in {zone} at that time; we are checking whether they are related.",
        ),
        bi(
            "Проверяем {res}. Пока собираем диагностику, не пересоздавайте, пожалуйста, ресурс, чтобы не потерять его состояние.",
            "We are checking {res}. While we collect diagnostics, please do not recreate the resource so that its state is kept.",
        ),
    ],
    progress: &[
        bi(
            "Проверили {res}: в {time} МСК на хосте {host} была живая миграция, после неё часть операций ввода-вывода зависла. Перенесли ресурс на другой хост — понаблюдайте, пожалуйста, повторится ли проблема.",
            "We checked {res}: a live migration ran on host {host} at {time} MSK and left some I/O hanging. We moved the resource to another host; please watch whether the problem comes back.",
        ),
        bi(
            "Коллеги из команды {service} подтвердили проблему, внутренняя задача {jira}. Как только будет исправление, напишем в этом тикете.",
            "The {service} team confirmed the problem under internal task {jira}. We will post here as soon as a fix is out.",
        ),
        bi(
            "По логам платформы видим ошибки «{error}» начиная с {time} МСК. Увеличили лимит в {zone} — попробуйте, пожалуйста, повторить операцию.",
            "Platform logs show \"{error}\" since {time} MSK. We raised the limit in {zone}; please retry the operation.",
        ),
        bi(
            "Проблема связана с инцидентом {inc} в {region}. Инженеры выкатывают исправление, ориентир — в течение {eta}.",
            "This is part of incident {inc} in {region}. Engineers are rolling out a fix, expected within {eta}.",
        ),
    ],
    question: &[
        bi(
            "Чтобы продвинуться дальше, пришлите, пожалуйста, точное время последней ошибки и request ID нескольких неуспешных запросов.",
            "To move on, please send the exact time of the latest error and the request IDs of a few failed requests.",
        ),
        bi(
            "Проблема воспроизводится прямо сейчас? Если да, пришлите, пожалуйста, скриншот ошибки и вывод диагностики за последний час.",
            "Does the problem reproduce right now? If so, please send a screenshot of the error and the diagnostics output for the last hour.",
        ),
        bi(
            "Можем ли мы перезапустить {res}? Напишите, пожалуйста, удобное окно — перезапуск займёт около пяти минут.",
            "May we restart {res}? Please tell us a convenient window; the restart takes about five minutes.",
        ),
    ],
    solution: &[
        bi(
            "Причина найдена: на хосте {host} деградировал сетевой адаптер. Ресурс перенесён, исправление по задаче {jira} выкачено на все хосты в {zone}. Если проблема повторится, просто ответьте на это сообщение.",
            "Found it: the network adapter of host {host} had degraded. The resource has been moved and the fix from {jira} is rolled out to every host in {zone}. If the problem comes back, just reply to this message.",
        ),
        bi(
            "Исправление выкачено, ошибки «{error}» в {zone} больше не воспроизводятся. Проверили {res} — всё в норме.",
            "The fix is out and \"{error}\" no longer reproduces in {zone}. We checked {res} and everything is in order.",
        ),
        bi(
            "Инцидент {inc} завершён, работа {service} в {region} полностью восстановлена. Приносим извинения за неудобства — разбор опубликуем на статус-странице.",
            "Incident {inc} is over and {service} in {region} is fully restored. We apologise for the disruption; a post-mortem will appear on the status page.",
        ),
    ],
    follow_up: &[
        bi("Проблема повторилась в {time} МСК, request ID {req}.", "It happened again at {time} MSK, request ID {req}."),
        bi("Перезапуск не помог, ошибка та же.", "The restart did not help, same error."),
        bi("Есть новости по {ticket}? У нас стоит продакшен.", "Any news on {ticket}? Our production is down."),
        bi(
            "Сейчас вроде работает, но задержки на графиках всё ещё скачут. Понаблюдаем.",
            "It seems to work now, but latency on our graphs still jumps around. We will keep watching.",
        ),
        bi("Окно для перезапуска — сегодня после 22:00 МСК.", "Our restart window is tonight after 22:00 MSK."),
    ],
};

const CONSULTING: Script = Script {
    first: &[
        bi(
            "Спасибо за подробное описание. Готовим рекомендации по схеме для {service} в {region}. Если удобно, можем созвониться на 30 минут с архитектором.",
            "Thank you for the detailed description. We are preparing recommendations for {service} in {region}. If it suits you, we can have a 30-minute call with an architect.",
        ),
        bi(
            "Хороший вопрос, подключили к тикету архитектора. Вернёмся с вариантами в течение {eta}.",
            "Good question; we have brought an architect onto the ticket. We will come back with options within {eta}.",
        ),
    ],
    progress: &[
        bi(
            "Предварительно рекомендуем разнести ресурсы по трём зонам {region}, для данных {service} включить репликацию, а переключение трафика вынести на балансировщик. Задержка между зонами в {region} — около 1 мс.",
            "Our first recommendation: spread resources over the three zones of {region}, enable replication for the {service} data and let a load balancer switch traffic. Latency between zones in {region} is about 1 ms.",
        ),
        bi(
            "Посчитали два варианта: управляемый {service} обойдётся примерно в {amount} в месяц, собственные ВМ — дешевле на 20%, но потребуют дежурств вашей команды.",
            "We priced two options: managed {service} at about {amount} a month, or your own instances at 20% less but with your team on call.",
        ),
    ],
    question: &[
        bi(
            "Уточните, пожалуйста, целевые RPO и RTO и есть ли требования хранить данные в конкретном регионе.",
            "Please tell us your target RPO and RTO, and whether the data must stay in a particular region.",
        ),
        bi(
            "Какой бюджет в месяц рассматриваете? От этого зависит, предлагать ли резерв в {region2}.",
            "What monthly budget do you have in mind? It decides whether we suggest a standby in {region2}.",
        ),
    ],
    solution: &[
        bi(
            "Отправили итоговую схему и расчёт стоимости. Кратко: три зоны в {region}, асинхронная копия в {region2}, RPO около 5 минут. Если при внедрении появятся вопросы — пишите в этот тикет.",
            "We sent the final design and cost estimate. In short: three zones in {region}, an asynchronous copy in {region2}, RPO of about 5 minutes. Write to this ticket if questions come up during the rollout.",
        ),
        bi(
            "Итоги созвона: начинаете с пилота в {zone}, затем расширяетесь на остальные зоны. Ссылки на документацию по каждому шагу — выше.",
            "Summary of our call: you start with a pilot in {zone}, then extend to the other zones. Links to the documentation for each step are above.",
        ),
    ],
    follow_up: &[
        bi(
            "Спасибо! А как будет работать переключение, если упадёт целая зона?",
            "Thanks! How does the switch-over work if a whole zone goes down?",
        ),
        bi(
            "Посчитали у себя, в бюджет укладываемся. Можно созвониться в четверг?",
            "We ran the numbers and it fits the budget. Could we have a call on Thursday?",
        ),
        bi(
            "Уточнение: данные персональные, должны храниться в РФ.",
            "One more thing: the data is personal data and must stay in Russia.",
        ),
    ],
};

const ACCESS: Script = Script {
    first: &[
        bi(
            "Для восстановления доступа к {login} нужно подтвердить, что вы представитель владельца аккаунта. Пришлите, пожалуйста, письмо с почты владельца или запрос на бланке компании с подписью руководителя.",
            "To restore access to {login} we need to confirm that you represent the account owner. Please send a message from the owner's mailbox or a request on company letterhead signed by a director.",
        ),
        bi(
            "Приняли запрос. В целях безопасности доступ восстанавливаем только после проверки, обычно это занимает до {eta}.",
            "We have your request. For security we restore access only after verification, which usually takes up to {eta}.",
        ),
    ],
    progress: &[
        bi(
            "Получили подтверждение и передали в службу безопасности. Сбросим второй фактор и пришлём ссылку для входа на {email}.",
            "We received the confirmation and passed it to the security team. We will reset the second factor and send a sign-in link to {email}.",
        ),
        bi(
            "Заблокировали старые ключи {sa} и проверили журнал аудита: с {time} МСК запросов с посторонних адресов не было.",
            "We revoked the old keys of {sa} and checked the audit log: no requests from unknown addresses since {time} MSK.",
        ),
    ],
    question: &[
        bi(
            "Пришлите, пожалуйста, скан запроса на бланке организации с подписью и печатью, а также последние четыре цифры карты, с которой шла оплата.",
            "Please send a scan of the request on company letterhead with signature and stamp, and the last four digits of the card used for payment.",
        ),
        bi(
            "Подтвердите, пожалуйста, с какого адреса вы обычно входите в консоль — это нужно для проверки.",
            "Please confirm the address you usually sign in to the console from; we need it for verification.",
        ),
    ],
    solution: &[
        bi(
            "Второй фактор для {login} сброшен, ссылка для входа отправлена на {email}. Настройте, пожалуйста, 2FA заново и сохраните резервные коды.",
            "The second factor of {login} is reset and a sign-in link went to {email}. Please set up 2FA again and keep the backup codes.",
        ),
        bi(
            "Доступ восстановлен. Рекомендуем добавить в аккаунт второго администратора, чтобы не зависеть от одного сотрудника.",
            "Access is restored. We recommend adding a second administrator so the account does not depend on one person.",
        ),
    ],
    follow_up: &[
        bi("Отправили письмо с почты владельца, проверьте, пожалуйста.", "We sent the message from the owner's mailbox, please check."),
        bi("Когда ждать восстановления? Команда не может задеплоить.", "When will access be back? The team cannot deploy."),
        bi("Обычно входим из офиса, адрес {ip}.", "We usually sign in from the office, address {ip}."),
    ],
};

const BILLING: Script = Script {
    first: &[
        bi(
            "Передали вопрос в финансовый отдел, обычно ответ приходит в течение рабочего дня.",
            "We forwarded your question to the finance team; they usually answer within a business day.",
        ),
        bi(
            "Спасибо, проверяем начисления по аккаунту {login} за {month}.",
            "Thank you, we are checking the charges of account {login} for {month}.",
        ),
    ],
    progress: &[
        bi(
            "Посмотрели детализацию за {month}: основная часть суммы — исходящий трафик. Рекомендуем проверить {res} и настройки кеширования.",
            "We looked at the {month} breakdown: most of the amount is egress traffic. We suggest checking {res} and your caching settings.",
        ),
        bi(
            "Запросили у бухгалтерии повторную отправку документов за {month} через ЭДО.",
            "We asked accounting to resend the {month} documents through e-invoicing.",
        ),
        bi(
            "Финансовый отдел подтвердил расхождение по {invoice}, готовим корректировку.",
            "Finance confirmed the discrepancy on {invoice}; a correction is being prepared.",
        ),
    ],
    question: &[
        bi(
            "Пришлите, пожалуйста, платёжное поручение или выписку по карте — без неё банк не примет запрос.",
            "Please send the payment order or a card statement; the bank will not accept the request without it.",
        ),
        bi(
            "Уточните, пожалуйста, ИНН и КПП организации, на которую нужно выставлять документы.",
            "Please confirm the tax ID and legal name of the company the documents should be issued to.",
        ),
    ],
    solution: &[
        bi(
            "Возврат {amount} по счёту {invoice} выполнен, корректировочный документ отправлен в ЭДО. Деньги поступят в течение 5–10 рабочих дней.",
            "The refund of {amount} for invoice {invoice} is done and the correction document is in e-invoicing. The money arrives within 5–10 business days.",
        ),
        bi(
            "Документы за {month} повторно отправлены в ЭДО и на {email}. Проверьте, пожалуйста, получение.",
            "The {month} documents have been resent through e-invoicing and to {email}. Please check that they arrived.",
        ),
        bi(
            "Блокировка снята, платёж по {invoice} зачислен, ресурсы запущены.",
            "The block is lifted, the payment for {invoice} is credited and your resources are running.",
        ),
    ],
    follow_up: &[
        bi("Спасибо, ждём.", "Thanks, we will wait."),
        bi("Документы так и не пришли, проверьте ещё раз, пожалуйста.", "The documents still have not arrived, please check again."),
        bi("Номер платёжного поручения — 4817, оплачено {amount}.", "The payment order number is 4817, amount {amount}."),
    ],
};

const SETUP: Script = Script {
    first: &[
        bi(
            "Подскажем. Чтобы дать точную инструкцию, проверим {res} — ответим в течение {eta}.",
            "We can help. To give exact steps we will check {res} first and answer within {eta}.",
        ),
        bi(
            "Спасибо за вопрос, это поддерживаемая конфигурация. Готовим пошаговую инструкцию для {service}.",
            "Thanks for asking, this is a supported configuration. We are preparing step-by-step instructions for {service}.",
        ),
    ],
    progress: &[
        bi(
            "Порядок действий: 1) создайте сервисный аккаунт с ролью editor; 2) в настройках {service} включите нужный параметр; 3) примените изменения — перезапуск не нужен. Если будет ошибка, пришлите её текст.",
            "The steps: 1) create a service account with the editor role; 2) enable the setting in {service}; 3) apply the change, no restart needed. If you get an error, send us its text.",
        ),
        bi(
            "Проверили на тестовом стенде в {zone}: конфигурация работает. Обратите внимание, изменение применяется до 10 минут.",
            "We tried it on a test setup in {zone} and it works. Note that the change takes up to 10 minutes to apply.",
        ),
    ],
    question: &[
        bi(
            "Пришлите, пожалуйста, текущую конфигурацию (без секретов) и текст ошибки, если она появляется.",
            "Please send your current configuration (without secrets) and the error text, if there is one.",
        ),
        bi(
            "Уточните, пожалуйста, версию клиента и регион: в {region} параметр включается отдельно.",
            "Please tell us the client version and region: in {region} the setting is enabled separately.",
        ),
    ],
    solution: &[
        bi(
            "Настройка {service} выполнена, проверили {res} — всё работает в нужной конфигурации. Инструкцию добавили в базу знаний.",
            "{service} is set up and {res} runs in the configuration you need. We added the steps to the knowledge base.",
        ),
        bi(
            "Включили параметр на нашей стороне для {res}, изменения применены. Проверьте, пожалуйста.",
            "We enabled the setting for {res} on our side and the change is applied. Please check.",
        ),
    ],
    follow_up: &[
        bi("Сделали по инструкции, получаем ошибку «{error}».", "We followed the steps and get \"{error}\"."),
        bi("Спасибо, попробуем вечером в окно обслуживания.", "Thanks, we will try tonight in our maintenance window."),
        bi(
            "Заработало! Единственный вопрос — настройка сохранится после обновления?",
            "It works! One question: will the setting survive an upgrade?",
        ),
    ],
};

const OUT_OF_SCOPE: Script = Script {
    first: &[bi(
        "К сожалению, {oos} не входит в зону ответственности технической поддержки: мы отвечаем за работу платформы и её сервисов, а администрирование ваших операционных систем и приложений выполняется по отдельному договору. Можем порекомендовать партнёров или прислать ссылки на документацию.",
        "Unfortunately, {oos} is outside what technical support covers: we are responsible for the platform and its services, while administering your operating systems and applications needs a separate agreement. We can recommend partners or send links to the documentation.",
    )],
    progress: &[
        bi(
            "Со стороны платформы всё в порядке: {res} работает, сеть и диски без ошибок. Дальнейшая настройка — на вашей стороне.",
            "All is well on the platform side: {res} is running, network and disks show no errors. Further configuration is on your side.",
        ),
        bi(
            "Прислали ссылки на документацию и контакты двух партнёров, которые берут такие задачи.",
            "We sent links to the documentation and the contacts of two partners who take on such work.",
        ),
    ],
    question: &[bi(
        "Если хотите, расскажем об условиях Professional Services — там администрирование входит в услугу. Интересно?",
        "If you like, we can tell you about Professional Services, where administration is part of the service. Interested?",
    )],
    solution: &[bi(
        "Как и писали, {oos} выполняется вашими силами или партнёром. Со стороны платформы проблем нет, закрываем обращение. Если заметите сбой самой платформы — пишите, поможем.",
        "As we wrote, {oos} is done by your team or a partner. The platform shows no problem, so we are closing this request. If you see a fault of the platform itself, write to us and we will help.",
    )],
    follow_up: &[
        bi("Понятно. А хотя бы подскажете, куда смотреть?", "I see. Could you at least tell us where to look?"),
        bi("Жаль. Пришлите контакты партнёров, пожалуйста.", "Pity. Please send the partners' contacts."),
        bi(
            "А если подключим Professional Services, вы это сделаете?",
            "If we sign up for Professional Services, will you do it?",
        ),
    ],
};

/// Intake requests: what support asks for when the ticket lacks it.
pub(crate) const INTAKE_HEADER: Bi = bi(
    "Чтобы мы могли разобраться, пришлите, пожалуйста:",
    "So that we can look into it, please send us:",
);
pub(crate) const INTAKE_LOGIN: Bi = bi("логин аккаунта;", "your account login;");
pub(crate) const INTAKE_PROJECT: Bi = bi("название проекта;", "the project name;");
pub(crate) const INTAKE_DIAGNOSTICS: Bi = bi(
    "диагностику: скриншоты ошибки и логи за время сбоя.",
    "diagnostics: screenshots of the error and logs from the time of the failure.",
);

/// Added to the first reply on a ticket about a Beta service.
pub(crate) const BETA_NOTICE: Bi = bi(
    "Обратите внимание: {service} находится в бета-тестировании, SLA на него не распространяется, но мы постараемся помочь.",
    "Please note that {service} is in beta: no SLA applies to it, but we will do our best to help.",
);

/// The customer adds to the opening message a few minutes later.
pub(crate) const ADDENDA: &[Bi] = &[
    bi(
        "Дополнение: воспроизводится и с другого адреса.",
        "Addendum: it also happens from another address.",
    ),
    bi("Upd: снова в {time} МСК.", "Upd: again at {time} MSK."),
    bi(
        "Это срочно, у нас стоит работа.",
        "This is urgent, our work is blocked.",
    ),
    bi(
        "Добавлю: последние две недели ничего не меняли.",
        "To add: we have changed nothing for two weeks.",
    ),
];

/// What any customer may write while waiting.
pub(crate) const FOLLOW_UPS: &[Bi] = &[
    bi("Есть новости?", "Any news?"),
    bi(
        "Ждём ответа, вопрос срочный.",
        "Waiting for your answer, this is urgent.",
    ),
    bi("Спасибо, проверяем.", "Thanks, checking."),
    bi(
        "Можете перезвонить на номер из профиля? Так будет быстрее.",
        "Could you call us back on the number in our profile? It would be quicker.",
    ),
    bi(
        "Уточню у команды и вернусь.",
        "Let me check with the team and get back to you.",
    ),
    bi(
        "Коллега в копии, отвечайте, пожалуйста, обоим.",
        "A colleague is in copy, please answer both of us.",
    ),
];

pub(crate) const THANKS: &[Bi] = &[
    bi("Спасибо, всё работает!", "Thanks, everything works!"),
    bi(
        "Подтверждаем, проблема ушла. Спасибо за помощь.",
        "Confirmed, the problem is gone. Thank you for the help.",
    ),
    bi("Отлично, спасибо!", "Great, thank you!"),
];

/// The customer writes back after the ticket was solved.
pub(crate) const REOPENINGS: &[Bi] = &[
    bi(
        "Проблема вернулась: сегодня в {time} МСК снова то же самое.",
        "It is back: the same thing again today at {time} MSK.",
    ),
    bi(
        "Рано закрыли — вопрос не решён, см. выше.",
        "Closed too early: the issue is not solved, see above.",
    ),
    bi(
        "По {ticket} ничего не изменилось, ошибка та же.",
        "Nothing changed on {ticket}, same error.",
    ),
];

/// The agent puts the ticket on hold.
pub(crate) const HOLDS: &[Bi] = &[
    bi(
        "Передали вопрос в команду {service} (задача {jira}), ждём их ответа. Как только будет информация, напишем.",
        "We passed this to the {service} team (task {jira}) and are waiting for them. We will write as soon as we know more.",
    ),
    bi(
        "Исправление выкатят в ближайшее окно плановых работ в {region}. Вернёмся к вам после него.",
        "The fix ships in the next maintenance window in {region}. We will get back to you after it.",
    ),
];

pub(crate) const HOLD_NOTES: &[Bi] = &[
    bi(
        "Ждём ответ команды {service} по {jira}. Пингануть в понедельник.",
        "Waiting on the {service} team for {jira}. Ping them on Monday.",
    ),
    bi(
        "Висит на вендоре оборудования, RMA по хосту {host}.",
        "Blocked on the hardware vendor, RMA for host {host}.",
    ),
];

pub(crate) const NOTES: &[Bi] = &[
    bi(
        "Проверил {host}: в логах гипервизора ошибок нет, ресурс клиента там один.",
        "Checked {host}: no errors in the hypervisor logs, the customer's resource is alone there.",
    ),
    bi(
        "Похоже на {inc}, по времени совпадает.",
        "Looks like {inc}, the timing matches.",
    ),
    bi(
        "Эскалировал в команду {service}, задача {jira}.",
        "Escalated to the {service} team, task {jira}.",
    ),
    bi(
        "Клиент пишет об этом не первый раз, держим на контроле.",
        "Not the first time the customer writes about this; keep an eye on it.",
    ),
    bi(
        "Сверил с биллингом: по {invoice} всё сходится.",
        "Checked with billing: {invoice} adds up.",
    ),
];

pub(crate) const PROFESSIONAL_NOTE: Bi = bi(
    "Клиент на Professional Services — отвечаем в приоритете.",
    "Customer is on Professional Services: answer first.",
);

pub(crate) const BETA_NOTE: Bi = bi(
    "Сервис в бете, SLA нет — отвечаем по мере возможности, но клиента не бросаем.",
    "Beta service, no SLA: we answer as we can, but we do not drop the customer.",
);

/// Call logs, by how the call went.
pub(crate) const CALLS_ANSWERED: &[Bi] = &[
    bi(
        "Созвонились: клиент подтвердил, что проблема повторяется, договорились прислать логи.",
        "Called the customer: they confirmed it still happens and will send logs.",
    ),
    bi(
        "Обсудили вопрос по телефону, клиент ждёт письменного ответа по {ticket}.",
        "Discussed it on the phone; the customer expects a written answer on {ticket}.",
    ),
    bi(
        "Созвонились, вместе с клиентом проверили {res}, итоги отправим письмом.",
        "Went through {res} with the customer on a call; a summary follows by e-mail.",
    ),
];
pub(crate) const CALL_INBOUND: Bi = bi(
    "Клиент позвонил уточнить статус {ticket}, рассказали о ходе работ.",
    "The customer called about the status of {ticket}; we told them where things stand.",
);
pub(crate) const CALL_NO_ANSWER: Bi = bi(
    "Не дозвонились, клиент не берёт трубку. Написали на почту.",
    "No answer from the customer. Sent an e-mail instead.",
);
pub(crate) const CALL_BUSY: Bi = bi(
    "Линия занята, перезвоним через полчаса.",
    "Line busy; we will call back in half an hour.",
);
pub(crate) const CALL_VOICEMAIL: Bi = bi(
    "Оставили голосовое сообщение с просьбой перезвонить по {ticket}.",
    "Left a voicemail asking the customer to call back about {ticket}.",
);

/// What the system records on a ticket.
pub(crate) const EVENT_ASSIGNED: Bi =
    bi("Ответственный: {assignee}", "Ticket assigned to {assignee}");
pub(crate) const EVENT_PRIORITY: Bi = bi(
    "Приоритет изменён на «{priority}»",
    "Priority changed to {priority}",
);
pub(crate) const EVENT_PENDING: Bi = bi(
    "Статус изменён на «ожидает клиента»",
    "Status changed to pending",
);
pub(crate) const EVENT_ON_HOLD: Bi = bi(
    "Статус изменён на «на удержании»",
    "Status changed to on hold",
);
pub(crate) const EVENT_SOLVED: Bi = bi("Статус изменён на «решён»", "Status changed to solved");
pub(crate) const EVENT_CLOSED: Bi = bi(
    "Тикет закрыт автоматически после решения",
    "Ticket closed automatically after being solved",
);
pub(crate) const EVENT_REOPENED: Bi = bi(
    "Тикет переоткрыт: клиент ответил после решения",
    "Ticket reopened: the customer replied after it was solved",
);

/// Priority names as system events show them.
pub(crate) const PRIORITY_NAMES: [Bi; 4] = [
    bi("срочный", "urgent"),
    bi("высокий", "high"),
    bi("обычный", "normal"),
    bi("низкий", "low"),
];

/// How long until the next update, as agents promise it.
pub(crate) const ETAS: &[Bi] = &[
    bi("часа", "an hour"),
    bi("двух часов", "two hours"),
    bi("30 минут", "30 minutes"),
    bi("рабочего дня", "one business day"),
];

/// Why a channel refused a reply, in the peer's own words.
pub(crate) const TELEGRAM_FAILURES: &[&str] = &[
    "Forbidden: bot was blocked by the user",
    "Bad Request: chat not found",
    "Forbidden: user is deactivated",
];
pub(crate) const EMAIL_FAILURES: &[&str] = &[
    "550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table",
    "552 5.2.2 <{email}>: Mailbox full",
    "554 5.7.1 Message rejected as spam by Content Filtering",
];

/// Message framing per channel.
pub(crate) const HELLO_EMAIL: Bi = bi("Здравствуйте!", "Hello,");
pub(crate) const HELLO_CHAT: Bi = bi("Добрый день!", "Hi!");
pub(crate) const REGARDS: Bi = bi("С уважением,", "Best regards,");
pub(crate) const VOICEMAIL: Bi = bi(
    "Голосовое сообщение на линии поддержки, расшифровка:",
    "Voicemail on the support line, transcript:",
);
pub(crate) const LOGIN_LABEL: Bi = bi("Логин", "Login");
pub(crate) const PROJECT_LABEL: Bi = bi("Проект", "Project");
pub(crate) const GREETING_AGENT: Bi = bi("Здравствуйте, {first}!", "Hello {first},");
pub(crate) const GREETING_AGENT_CHAT: Bi = bi("{first}, добрый день!", "Hi {first},");
pub(crate) const ATTACHED_LOGS: Bi = bi("Логи во вложении.", "Logs attached.");
pub(crate) const ATTACHED_SCREENSHOT: Bi = bi("Скриншот во вложении.", "Screenshot attached.");

/// Attachment names besides a service's own log; `{date}` and the other
/// keys come from the ticket.
pub(crate) const LOG_NAMES: &[&str] = &[
    "app-{date}.log",
    "terraform-apply.log",
    "journalctl-{date}.log",
];
pub(crate) const SCREENSHOT_NAMES: [&[&str]; 2] = [
    &[
        "Снимок экрана {date}.png",
        "ошибка-консоль.png",
        "скрин.png",
        "payment-{invoice}.png",
    ],
    &[
        "screenshot-{date}.png",
        "console-error.png",
        "Screenshot {date}.png",
        "payment-{invoice}.png",
    ],
];

pub(crate) const TAGS: &[&str] = &[
    "vip",
    "incident",
    "needs-info",
    "escalated",
    "callback",
    "billing-docs",
    "security",
    "data-loss-risk",
    "migration",
    "api",
    "quota",
    "2fa",
    "network",
    "performance",
    "feature-request",
    "beta-feedback",
    "repeat-contact",
    "weekend",
];

pub(crate) const REGIONS: &[&str] = &["ru-msk-1", "ru-msk-2", "ru-spb-1", "ru-nsk-1", "kz-ala-1"];

/// Public address blocks of the provider, for customer IPs.
pub(crate) const PUBLIC_PREFIXES: &[&str] =
    &["185.12", "51.250", "84.201", "62.84", "158.160", "89.169"];

pub(crate) const MONTHS: [Bi; 12] = [
    bi("январь", "January"),
    bi("февраль", "February"),
    bi("март", "March"),
    bi("апрель", "April"),
    bi("май", "May"),
    bi("июнь", "June"),
    bi("июль", "July"),
    bi("август", "August"),
    bi("сентябрь", "September"),
    bi("октябрь", "October"),
    bi("ноябрь", "November"),
    bi("декабрь", "December"),
];

pub(crate) const DB_NAMES: &[&str] = &["orders", "main", "billing", "users", "analytics", "cms"];
pub(crate) const BUCKET_PURPOSES: &[&str] = &[
    "backups",
    "static",
    "media",
    "logs",
    "exports",
    "assets",
    "uploads",
    "ml-datasets",
];
pub(crate) const KAFKA_TOPICS: &[&str] = &[
    "orders",
    "events",
    "payments.v2",
    "clickstream",
    "audit-log",
];
pub(crate) const FUNCTIONS: &[&str] = &[
    "resize-image",
    "send-notification",
    "pdf-export",
    "webhook-handler",
    "nightly-report",
];
pub(crate) const SERVICE_ACCOUNT_ROLES: &[&str] =
    &["ci", "terraform", "backup", "deploy", "monitoring"];
pub(crate) const SUBDOMAINS: &[&str] = &["www", "api", "shop", "app", "cdn", "static"];
pub(crate) const K8S_VERSIONS: &[&str] = &["1.29", "1.30", "1.31"];
pub(crate) const PORTS: &[&str] = &["22", "80", "443", "5432", "3306", "6443", "8080"];
